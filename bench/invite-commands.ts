import xml from "@xmpp/xml";

import { PorterProcess } from "../harness/porter-process.js";
import { startProsody } from "../harness/prosody.js";
import type { Release, XmppServer } from "../harness/types.js";
import { connectClient, type TestClient } from "../harness/xmpp-client.js";
import { summarise, type Summary } from "./stats.js";

export interface InviteBenchOptions {
  /** Which Prosody: Debian 12's 0.12 or Debian 13's 13. */
  readonly release: Release;
  readonly clients: number;
  readonly roundMs: number;
  readonly rounds: number;
}

export interface InviteBenchResult {
  /** The Prosody that ran, e.g. "Prosody 13.0.1". */
  readonly version: string;
  readonly prosody: Summary;
  readonly porter: Summary;
  readonly porterPeakMiB: number | undefined;
}

const NODE = "urn:xmpp:invite#invite";
const CMD = "http://jabber.org/protocol/commands";

async function executeOnce(client: TestClient, target: string): Promise<boolean> {
  const reply = await client.iq(xml("iq", { type: "set", to: target }, xml("command", { xmlns: CMD, node: NODE, action: "execute" })), 30_000);
  return reply.attrs.type === "result" && reply.getChild("command", CMD)?.attrs.status === "completed";
}

/** Every client runs "New Invite" back to back against one target for `ms`. */
async function round(clients: readonly TestClient[], target: string, ms: number) {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await executeOnce(client, target).catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else errors += 1;
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

/**
 * The same client load of "New Invite" executions through one real Prosody,
 * against Prosody's own mod_invites_adhoc on the host JID and against Porter
 * on its component JID, in alternating rounds so both see the same machine.
 */
export async function benchInviteCommands(options: InviteBenchOptions): Promise<InviteBenchResult> {
  const users = Array.from({ length: options.clients }, (_, i) => ({ username: `bench${i}`, password: `bench-password-${i}` }));
  let server: XmppServer | undefined;
  let porter: PorterProcess | undefined;
  const clients: TestClient[] = [];
  try {
    server = await startProsody({ release: options.release, users, prosodyHostModules: ["invites", "invites_adhoc"] });
    porter = await PorterProcess.start(server, {
      env: { PORTER_LOG_LEVEL: "warn", PORTER_INVITES_MAX_ACTIVE_PER_USER: "1000000", PORTER_INVITES_MAX_CREATED_PER_HOUR: "1000000" },
    });
    await porter.waitForHealth(200);
    const running = server;
    for (const user of users) clients.push(await connectClient(running, user.username, user.password));
    const targets = { prosody: server.host, porter: server.componentDomain } as const;
    for (const [name, target] of Object.entries(targets)) {
      if (!(await executeOnce(clients[0] as TestClient, target))) throw new Error(`"New Invite" on ${name} (${target}) did not complete`);
    }
    const collected = { prosody: { latencies: [] as number[], errors: 0, seconds: 0 }, porter: { latencies: [] as number[], errors: 0, seconds: 0 } };
    for (let r = 0; r < options.rounds; r++) {
      for (const name of ["prosody", "porter"] as const) {
        const result = await round(clients, targets[name], options.roundMs);
        collected[name].latencies.push(...result.latencies);
        collected[name].errors += result.errors;
        collected[name].seconds += result.seconds;
      }
    }
    return {
      version: server.version,
      prosody: summarise(collected.prosody.latencies, collected.prosody.errors, collected.prosody.seconds),
      porter: summarise(collected.porter.latencies, collected.porter.errors, collected.porter.seconds),
      porterPeakMiB: porter.peakMemoryMiB(),
    };
  } finally {
    await Promise.all(clients.map((client) => client.stop().catch(() => undefined)));
    await porter?.destroy();
    await server?.destroy();
  }
}

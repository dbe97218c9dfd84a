import { join } from "node:path";

import Database from "better-sqlite3";
import xml from "@xmpp/xml";

import { submitInviteForm } from "../harness/invite-form.js";
import { runPorter } from "../harness/porter-cli.js";
import { PorterProcess } from "../harness/porter-process.js";
import { startProsody } from "../harness/prosody.js";
import type { XmppServer } from "../harness/types.js";
import { canLogIn, connectClient, type TestClient } from "../harness/xmpp-client.js";
import { summarise, type Summary } from "./stats.js";

export interface LoadOptions {
  readonly clients: number;
  readonly redeemers: number;
  readonly durationMs: number;
}

export interface LoadResult {
  readonly commands: Summary;
  readonly redemptions: Summary;
  readonly porterPeakMiB: number | undefined;
  /** Accounts the redemptions reported, and what the database and the server say about them. */
  readonly consistency: {
    readonly reported: number;
    readonly completedRows: number;
    readonly pendingRows: number;
    readonly inviteUses: number;
    readonly sampledLogins: string;
  };
}

const CMD = "http://jabber.org/protocol/commands";
/** Every invitee's password; it must not contain the username, which the form checks. */
const INVITEE_PASSWORD = "correct-horse-battery-staple-9";

async function newInvite(client: TestClient, target: string): Promise<boolean> {
  const reply = await client.iq(
    xml("iq", { type: "set", to: target }, xml("command", { xmlns: CMD, node: "urn:xmpp:invite#invite", action: "execute" })),
    30_000,
  );
  return reply.attrs.type === "result" && reply.getChild("command", CMD)?.attrs.status === "completed";
}

/** One invitee: open the link, fill the form, and expect the success page naming the new address. */
async function redeem(link: string, username: string, host: string): Promise<boolean> {
  const answer = await submitInviteForm(link, username, INVITEE_PASSWORD);
  return answer.status === 200 && answer.page.includes(`${username}@${host}`);
}

/**
 * The hardening load: `clients` logged-in users running "New Invite" back to
 * back through Prosody, while `redeemers` invitees redeem one unlimited invite
 * through the web pages, each creating a real account, for `durationMs`.
 * Afterwards the database and the server are checked against what was reported.
 */
export async function benchLoad(options: LoadOptions): Promise<LoadResult> {
  const users = Array.from({ length: options.clients }, (_, i) => ({ username: `load${i}`, password: `load-password-${i}` }));
  let server: XmppServer | undefined;
  let porter: PorterProcess | undefined;
  const clients: TestClient[] = [];
  try {
    server = await startProsody({ users });
    porter = await PorterProcess.start(server, {
      env: {
        PORTER_LOG_LEVEL: "warn",
        PORTER_INVITES_MAX_ACTIVE_PER_USER: "1000000",
        PORTER_INVITES_MAX_CREATED_PER_HOUR: "1000000",
        PORTER_HTTP_FORM_LIMIT: "1000000",
      },
    });
    await porter.waitForHealth(200);
    const running = server;
    for (const user of users) clients.push(await connectClient(running, user.username, user.password));
    const created = runPorter(["invite", "create", "--uses", "unlimited", "--json"], { ...porter.env, PORTER_LOG_LEVEL: "silent" });
    if (created.code !== 0) throw new Error(`porter invite create failed: ${created.stderr}`);
    const link = (JSON.parse(created.stdout) as { landing_url: string }).landing_url;

    const commandLatencies: number[] = [];
    const redemptionLatencies: number[] = [];
    const errors = { commands: 0, redemptions: 0 };
    const accounts: string[] = [];
    const started = performance.now();
    const deadline = started + options.durationMs;
    await Promise.all([
      ...clients.map(async (client) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          if (await newInvite(client, running.componentDomain).catch(() => false)) commandLatencies.push(performance.now() - t0);
          else errors.commands += 1;
        }
      }),
      ...Array.from({ length: options.redeemers }, async (_, worker) => {
        for (let n = 0; performance.now() < deadline; n++) {
          const username = `r${worker}x${n}`;
          const t0 = performance.now();
          if (await redeem(link, username, running.host).catch(() => false)) {
            redemptionLatencies.push(performance.now() - t0);
            accounts.push(username);
          } else errors.redemptions += 1;
        }
      }),
    ]);
    const seconds = (performance.now() - started) / 1000;

    const db = new Database(join(porter.dir, "porter.sqlite"), { readonly: true });
    const rows = db.prepare("SELECT state, count(*) AS n FROM redemptions GROUP BY state").all() as { state: string; n: number }[];
    const uses = (db.prepare("SELECT uses FROM invites WHERE kind = 'account' AND max_uses IS NULL").get() as { uses: number }).uses;
    db.close();
    const sample = accounts.filter((_, i) => i % Math.max(1, Math.floor(accounts.length / 10)) === 0).slice(0, 10);
    let loggedIn = 0;
    for (const username of sample) if (await canLogIn(running, username, INVITEE_PASSWORD)) loggedIn += 1;
    return {
      commands: summarise(commandLatencies, errors.commands, seconds),
      redemptions: summarise(redemptionLatencies, errors.redemptions, seconds),
      porterPeakMiB: porter.peakMemoryMiB(),
      consistency: {
        reported: accounts.length,
        completedRows: rows.find((row) => row.state === "completed")?.n ?? 0,
        pendingRows: rows.find((row) => row.state === "pending")?.n ?? 0,
        inviteUses: uses,
        sampledLogins: `${loggedIn}/${sample.length}`,
      },
    };
  } finally {
    await Promise.all(clients.map((client) => client.stop().catch(() => undefined)));
    await porter?.destroy();
    await server?.destroy();
  }
}

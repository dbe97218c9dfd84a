import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

import xml from "@xmpp/xml";
import Database from "better-sqlite3";

import { cpuSecondsOf, PorterProcess } from "../harness/porter-process.js";
import { startProsody } from "../harness/prosody.js";
import type { Release, XmppServer } from "../harness/types.js";
import { connectClient, type TestClient } from "../harness/xmpp-client.js";
import { prosodyPid, startSideProcess, stopSideProcess } from "./side-process.js";
import { summarise, type Summary } from "./stats.js";

export interface InviteBenchOptions {
  /** Which Prosody: Debian 12's 0.12 or Debian 13's 13. */
  readonly release: Release;
  readonly clients: number;
  readonly roundMs: number;
  readonly rounds: number;
  /** How many invites fill Porter's table before the second measurement. */
  readonly fullInvites: number;
}

export interface InviteBenchResult {
  /** The Prosody that ran, e.g. "Prosody 13.0.1". */
  readonly version: string;
  /** A component answering the same command at once: what Porter adds is measured from here. */
  readonly floor: Measured;
  /** Its CPU time is the whole Prosody's, which also routes the other targets' stanzas. */
  readonly prosody: Measured;
  readonly porter: Measured;
  /** Porter and the floor again, after the table was filled with `fullInvites` invites. */
  readonly full: { readonly floor: Measured; readonly porter: Measured };
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

/** With BENCH_PROFILE_DIR set, Porter writes a V8 CPU profile there when it stops. */
export function profiled(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}

interface Collected {
  latencies: number[];
  errors: number;
  seconds: number;
  cpuSeconds: number;
}

/** A target: the JID the clients send the command to, and the process whose CPU time is its cost. */
interface Target {
  readonly jid: string;
  readonly pid: number | undefined;
}

/** A target's figures, with the CPU time its process spent per completed execution. */
export type Measured = Summary & { readonly cpuUs: number };

/**
 * Alternating rounds over the targets, so each sees the same machine. Round r
 * uses the r-th set of clients: each set is a fresh group of users.
 */
async function alternate<Name extends string>(
  clientSets: readonly (readonly TestClient[])[],
  targets: Readonly<Record<Name, Target>>,
  options: Pick<InviteBenchOptions, "roundMs">,
): Promise<Record<Name, Measured>> {
  const names = Object.keys(targets) as Name[];
  const collected = Object.fromEntries(names.map((name) => [name, { latencies: [] as number[], errors: 0, seconds: 0, cpuSeconds: 0 }])) as Record<
    Name,
    Collected
  >;
  const cpu = (name: Name) => {
    const pid = targets[name].pid;
    return pid === undefined ? Number.NaN : (cpuSecondsOf(pid) ?? Number.NaN);
  };
  for (const clients of clientSets) {
    for (const name of names) {
      const before = cpu(name);
      const result = await round(clients, targets[name].jid, options.roundMs);
      collected[name].cpuSeconds += cpu(name) - before;
      collected[name].latencies.push(...result.latencies);
      collected[name].errors += result.errors;
      collected[name].seconds += result.seconds;
    }
  }
  const measured = (c: Collected): Measured => {
    const summary = summarise(c.latencies, c.errors, c.seconds);
    return { ...summary, cpuUs: (c.cpuSeconds / summary.executions) * 1e6 };
  };
  return Object.fromEntries(names.map((name) => [name, measured(collected[name])])) as Record<Name, Measured>;
}

/**
 * Fills Porter's database with `count` invites of 10,000 other users of the
 * host (a third expired, a third used, a third active), in transactions
 * small enough that Porter's own writes wait at most a moment.
 */
function fillInvites(databasePath: string, host: string, count: number): void {
  const db = new Database(databasePath);
  try {
    db.pragma("busy_timeout = 5000");
    const insert = db.prepare(
      `INSERT INTO invites (token_hash, kind, creator, username, allow_registration, add_contact, max_uses, uses, note, created_at, expires_at, revoked_at)
       VALUES (?, 'contact', ?, ?, 1, 1, 1, ?, NULL, ?, ?, NULL)`,
    );
    const now = Math.floor(Date.now() / 1000);
    const batch = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const user = `filler${n % 10_000}`;
        const created = now - 30 * 86_400 + (n % (29 * 86_400));
        const expires = n % 3 === 0 ? now - 60 : created + 60 * 86_400;
        insert.run(randomBytes(32), `${user}@${host}`, user, n % 3 === 1 ? 1 : 0, created, expires);
      }
    });
    for (let from = 0; from < count; from += 20_000) batch(from, Math.min(count, from + 20_000));
  } finally {
    db.close();
  }
}

/**
 * The same client load of "New Invite" executions through one real Prosody,
 * against Prosody's own mod_invites_adhoc on the host JID, against Porter on
 * its component JID and against the floor (a component that answers at once)
 * on another, in alternating rounds; then Porter and the floor again once
 * Porter's table holds `fullInvites` more invites.
 */
export async function benchInviteCommands(options: InviteBenchOptions): Promise<InviteBenchResult> {
  // A fresh group of users per round: a user's history stays at one round's invites, which the per-user
  // limit counts read (up to the limit), instead of growing with every round of the run.
  const phases = { empty: [] as TestClient[][], full: [] as TestClient[][] };
  const groupUsers = (phase: string, round: number) =>
    Array.from({ length: options.clients }, (_, i) => ({ username: `bench-${phase}${round}-${i}`, password: `bench-password-${i}` }));
  const users = Object.keys(phases).flatMap((phase) => Array.from({ length: options.rounds }, (_, r) => groupUsers(phase, r)).flat());
  const floorComponent = { domain: "floor.localhost", secret: randomBytes(16).toString("hex") };
  let server: XmppServer | undefined;
  let porter: PorterProcess | undefined;
  let floor: ChildProcess | undefined;
  const clients: TestClient[] = [];
  try {
    server = await startProsody({ release: options.release, users, prosodyHostModules: ["invites", "invites_adhoc"], prosodyComponents: [floorComponent] });
    porter = await PorterProcess.start(server, {
      env: { PORTER_LOG_LEVEL: "info", PORTER_INVITES_MAX_ACTIVE_PER_USER: "1000000", PORTER_INVITES_MAX_CREATED_PER_HOUR: "1000000" },
      nodeArgs: profiled(),
    });
    await porter.waitForHealth(200);
    floor = await startSideProcess("./floor-component.js", [server.componentService, floorComponent.domain, floorComponent.secret], "online");
    for (const [phase, groups] of Object.entries(phases)) {
      for (let r = 0; r < options.rounds; r++) {
        const group: TestClient[] = [];
        for (const user of groupUsers(phase, r)) group.push(await connectClient(server, user.username, user.password));
        groups.push(group);
        clients.push(...group);
      }
    }
    const targets = {
      floor: { jid: floorComponent.domain, pid: floor.pid },
      prosody: { jid: server.host, pid: prosodyPid(join(server.dir, "prosody.cfg.lua")) },
      porter: { jid: server.componentDomain, pid: porter.pid },
    };
    for (const [name, target] of Object.entries(targets)) {
      if (!(await executeOnce(clients[0] as TestClient, target.jid))) throw new Error(`"New Invite" on ${name} (${target.jid}) did not complete`);
    }
    const empty = await alternate(phases.empty, targets, options);
    fillInvites(join(porter.dir, "porter.sqlite"), server.host, options.fullInvites);
    const full = await alternate(phases.full, { floor: targets.floor, porter: targets.porter }, options);
    return {
      version: server.version,
      ...empty,
      full,
      porterPeakMiB: porter.peakMemoryMiB(),
    };
  } finally {
    await Promise.all(clients.map((client) => client.stop().catch(() => undefined)));
    await stopSideProcess(floor);
    // A graceful stop, so that a profiled Porter writes its profile.
    await porter?.stop();
    await porter?.destroy();
    await server?.destroy();
  }
}

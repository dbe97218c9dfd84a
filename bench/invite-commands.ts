import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

import xml, { type Element } from "@xmpp/xml";
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
  /** How many invites fill the second Porter's table before it is measured. */
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
  /** A second Porter, on a component of its own, whose table holds `fullInvites` invites. */
  readonly porterFull: Measured;
  readonly porterPeakMiB: number | undefined;
  readonly porterFullPeakMiB: number | undefined;
}

const NODE = "urn:xmpp:invite#invite";
const CMD = "http://jabber.org/protocol/commands";

const execute = (client: TestClient, target: string) =>
  client.iq(xml("iq", { type: "set", to: target }, xml("command", { xmlns: CMD, node: NODE, action: "execute" })), 30_000);

const completed = (reply: Element) => reply.attrs.type === "result" && reply.getChild("command", CMD)?.attrs.status === "completed";

async function executeOnce(client: TestClient, target: string): Promise<boolean> {
  return completed(await execute(client, target));
}

/** Attributes that name the parties or the session, which differ between any two answers. */
const VARYING = new Set(["from", "to", "id", "sessionid"]);

/**
 * An answer's elements, fixed attributes and texts, with the values (links,
 * dates) reduced to their presence: two answers of one shape cost Prosody the
 * same to parse and route.
 */
function shapeOf(element: Element): string {
  const attrs = Object.entries(element.attrs)
    .filter(([name]) => !VARYING.has(name))
    .map(([name, value]) => `${name}=${String(value)}`)
    .sort();
  const children = element.children.map((child) => (typeof child === "string" ? (element.name === "value" ? "value" : child) : shapeOf(child)));
  return `<${element.name} ${attrs.join(" ")}>${children.join("")}</${element.name}>`;
}

/** Fails unless the floor answers with what Porter answers, element for element and within a few bytes. */
function assertSameAnswer(floor: Element, porter: Element): void {
  assert.equal(shapeOf(floor), shapeOf(porter), "the floor's answer must have the shape of Porter's");
  const size = (element: Element) => Buffer.byteLength(element.toString());
  assert.ok(Math.abs(size(floor) - size(porter)) <= 8, `the floor's answer is ${size(floor)} bytes, Porter's ${size(porter)}`);
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
  serverCpuSeconds: number;
  clientCpuSeconds: number;
}

/** A target: the JID the clients send the command to, and the process whose CPU time is its cost. */
interface Target {
  readonly jid: string;
  readonly pid: number | undefined;
}

/**
 * A target's figures, with CPU time per completed execution: its own process's,
 * Prosody's (routing, and for Prosody's own command the command too), and the
 * clients' (this process).
 */
export type Measured = Summary & { readonly cpuUs: number; readonly serverCpuUs: number; readonly clientCpuUs: number };

const cpuSeconds = (pid: number | undefined) => (pid === undefined ? Number.NaN : (cpuSecondsOf(pid) ?? Number.NaN));
const ownCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/**
 * Alternating rounds over the targets, so each sees the same machine. Round r
 * uses the r-th set of clients: each set is a fresh group of users, so a
 * user's history, which the per-user limit checks read up to the limit, stays
 * at one round's invites instead of growing with every round of the run.
 */
async function alternate<Name extends string>(
  clientSets: readonly (readonly TestClient[])[],
  targets: Readonly<Record<Name, Target>>,
  serverPid: number | undefined,
  options: Pick<InviteBenchOptions, "roundMs">,
): Promise<Record<Name, Measured>> {
  const names = Object.keys(targets) as Name[];
  const collected = Object.fromEntries(
    names.map((name) => [name, { latencies: [] as number[], errors: 0, seconds: 0, cpuSeconds: 0, serverCpuSeconds: 0, clientCpuSeconds: 0 }]),
  ) as Record<Name, Collected>;
  for (const clients of clientSets) {
    for (const name of names) {
      const before = { target: cpuSeconds(targets[name].pid), server: cpuSeconds(serverPid), client: ownCpuSeconds() };
      const result = await round(clients, targets[name].jid, options.roundMs);
      const into = collected[name];
      into.cpuSeconds += cpuSeconds(targets[name].pid) - before.target;
      into.serverCpuSeconds += cpuSeconds(serverPid) - before.server;
      into.clientCpuSeconds += ownCpuSeconds() - before.client;
      into.latencies.push(...result.latencies);
      into.errors += result.errors;
      into.seconds += result.seconds;
    }
  }
  const measured = (c: Collected): Measured => {
    const summary = summarise(c.latencies, c.errors, c.seconds);
    const perExecution = (seconds: number) => (seconds / summary.executions) * 1e6;
    return { ...summary, cpuUs: perExecution(c.cpuSeconds), serverCpuUs: perExecution(c.serverCpuSeconds), clientCpuUs: perExecution(c.clientCpuSeconds) };
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
 * its component JID, against a second Porter whose table holds `fullInvites`
 * invites, and against the floor (a component that answers at once) on
 * another, in alternating rounds.
 */
export async function benchInviteCommands(options: InviteBenchOptions): Promise<InviteBenchResult> {
  const groups = Array.from({ length: options.rounds }, (_, r) =>
    Array.from({ length: options.clients }, (_, i) => ({ username: `bench-${r}-${i}`, password: `bench-password-${i}` })),
  );
  const floorComponent = { domain: "floor.localhost", secret: randomBytes(16).toString("hex") };
  const fullComponent = { domain: "porter-full.localhost", secret: randomBytes(16).toString("hex") };
  let server: XmppServer | undefined;
  const porters: PorterProcess[] = [];
  let floor: ChildProcess | undefined;
  const clientSets: TestClient[][] = [];
  try {
    const prosody = await startProsody({
      release: options.release,
      users: groups.flat(),
      prosodyHostModules: ["invites", "invites_adhoc"],
      prosodyComponents: [floorComponent, fullComponent],
    });
    server = prosody;
    const startPorter = async (env: Record<string, string>) => {
      const started = await PorterProcess.start(prosody, {
        env: { PORTER_LOG_LEVEL: "info", PORTER_INVITES_MAX_ACTIVE_PER_USER: "1000000", PORTER_INVITES_MAX_CREATED_PER_HOUR: "1000000", ...env },
        nodeArgs: profiled(),
      });
      porters.push(started);
      await started.waitForHealth(200);
      return started;
    };
    const porter = await startPorter({});
    const porterFull = await startPorter({ PORTER_XMPP_DOMAIN: fullComponent.domain, PORTER_XMPP_SECRET: fullComponent.secret });
    fillInvites(join(porterFull.dir, "porter.sqlite"), server.host, options.fullInvites);
    floor = await startSideProcess("./floor-component.js", [server.componentService, floorComponent.domain, floorComponent.secret], "online");
    for (const group of groups) {
      const set: TestClient[] = [];
      clientSets.push(set);
      for (const user of group) set.push(await connectClient(server, user.username, user.password));
    }
    const first = clientSets[0]?.[0] ?? assert.fail("no clients");
    const targets = {
      floor: { jid: floorComponent.domain, pid: floor.pid },
      prosody: { jid: server.host, pid: prosodyPid(join(server.dir, "prosody.cfg.lua")) },
      porter: { jid: server.componentDomain, pid: porter.pid },
      porterFull: { jid: fullComponent.domain, pid: porterFull.pid },
    };
    const answers = new Map<string, Element>();
    for (const [name, target] of Object.entries(targets)) {
      const reply = await execute(first, target.jid);
      if (!completed(reply)) throw new Error(`"New Invite" on ${name} (${target.jid}) did not complete`);
      answers.set(name, reply);
    }
    assertSameAnswer(answers.get("floor") ?? assert.fail("no floor answer"), answers.get("porter") ?? assert.fail("no Porter answer"));
    const measured = await alternate(clientSets, targets, targets.prosody.pid, options);
    return {
      version: server.version,
      ...measured,
      porterPeakMiB: porter.peakMemoryMiB(),
      porterFullPeakMiB: porterFull.peakMemoryMiB(),
    };
  } finally {
    await Promise.all(clientSets.flat().map((client) => client.stop().catch(() => undefined)));
    await stopSideProcess(floor);
    // A graceful stop, so that a profiled Porter writes its profile.
    for (const porter of porters) {
      await porter.stop();
      await porter.destroy();
    }
    await server?.destroy();
  }
}

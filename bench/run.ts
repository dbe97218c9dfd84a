/*
 * `npm run bench`: Porter's benchmarks against real servers on loopback.
 * Knobs: BENCH_CLIENTS (20), BENCH_FULL_INVITES (1000000), BENCH_CONNECTIONS (20), BENCH_ROUND_MS (5000),
 * BENCH_ROUNDS (3), BENCH_ONLY (idle | invites | registration | load), IDLE_RUNS (3),
 * LOAD_CLIENTS (200), LOAD_REDEEMERS (50), LOAD_SECONDS (60).
 * Prints Markdown for docs/benchmarks.md.
 */
import { cpus } from "node:os";

import { benchClientRegistration } from "./client-registration.js";
import { benchIdle } from "./idle.js";
import { benchInviteCommands, type InviteBenchResult, type Measured } from "./invite-commands.js";
import { benchLoad } from "./load.js";
import type { Summary } from "./stats.js";

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const measuredRow = (name: string, m: Measured) => `${row(name, m)} ${fixed(m.cpuUs, 0)} | ${fixed(m.serverCpuUs, 0)} | ${fixed(m.clientCpuUs, 0)} |`;
const row = (name: string, s: Summary) => `| ${name} | ${s.executions} | ${s.errors} | ${fixed(s.perSecond)} | ${fixed(s.p50Ms)} | ${fixed(s.p99Ms)} |`;

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY;
  if (only !== undefined && !["idle", "invites", "registration", "load"].includes(only)) {
    throw new Error("BENCH_ONLY must be idle, invites, registration or load");
  }
  const runs = (name: string) => only === undefined || only === name;
  const roundMs = setting("BENCH_ROUND_MS", 5000);
  const rounds = setting("BENCH_ROUNDS", 3);
  const cpu = cpus();
  const machine = `Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, Node ${process.version}.`;
  const today = new Date().toISOString().slice(0, 10);
  if (runs("idle")) await idle(machine, today);
  if (runs("invites")) {
    const clients = setting("BENCH_CLIENTS", 20);
    const fullInvites = setting("BENCH_FULL_INVITES", 1_000_000);
    // One Prosody after the other, each against Porter attached to it: Debian 12's 0.12, then Debian 13's 13.
    const results = [];
    for (const release of ["debian12", "debian13"] as const) results.push(await benchInviteCommands({ release, clients, roundMs, rounds, fullInvites }));
    console.log(invitesSection(results, { machine, today, clients, roundMs, rounds, fullInvites }));
  }
  if (runs("registration")) {
    const connections = setting("BENCH_CONNECTIONS", 20);
    const result = await benchClientRegistration({ connections, roundMs, rounds });
    console.log(`## OAuth2 dynamic client registration (RFC 7591) (${today})

${machine}
Load: ${connections} keep-alive HTTP connections, each posting the same client metadata back to back,
${rounds} alternating rounds of ${roundMs / 1000} s per target.

| target | registrations | errors | registrations/s | p50 ms | p99 ms |
|---|---|---|---|---|---|
${row("floor: a bare fastify POST route", result.floor)}
${row("node-oidc-provider 9.13.3 (in-memory adapter)", result.reference)}
${row(`${result.prosodyVersion} mod_http_oauth2 (Debian 13's prosody-modules)`, result.prosody)}
${row("Porter (stateless)", result.porter)}

Throughput ratio Porter / floor: ${fixed(result.porter.perSecond / result.floor.perSecond, 2)} (goal: at least 0.50);
Porter / node-oidc-provider: ${fixed(result.porter.perSecond / result.reference.perSecond, 2)};
Porter / mod_http_oauth2: ${fixed(result.porter.perSecond / result.prosody.perSecond, 2)}.
p99 ratio Porter / node-oidc-provider: ${fixed(result.porter.p99Ms / result.reference.p99Ms, 2)};
Porter / mod_http_oauth2: ${fixed(result.porter.p99Ms / result.prosody.p99Ms, 2)}.
CPU time per registration (the target process only): the floor ${fixed(result.floorCpuUs, 0)} µs, Porter ${fixed(result.porterCpuUs, 0)} µs,
node-oidc-provider ${fixed(result.referenceCpuUs, 0)} µs (ratio ${fixed(result.referenceCpuUs / result.porterCpuUs, 2)}),
mod_http_oauth2 ${fixed(result.prosodyCpuUs, 0)} µs (ratio ${fixed(result.prosodyCpuUs / result.porterCpuUs, 2)}).
Porter's peak resident memory: ${peak(result.porterPeakMiB)}.
`);
  }
  if (runs("load")) await load(machine, today);
}

/** Resident memory is read 3 s after healthy, with what the start allocated still held, and 30 s after, once V8 has collected it. */
const IDLE_AFTER_MS = [3_000, 30_000] as const;

async function idle(machine: string, today: string): Promise<void> {
  const result = await benchIdle({ runs: setting("IDLE_RUNS", 3), afterMs: IDLE_AFTER_MS });
  const seconds = IDLE_AFTER_MS.map((ms) => `${ms / 1000} s after`);
  console.log(`## Idle: start and resident memory against ${result.serverVersion} (${today})

${machine}
\`porter start\` with the default log level and a fresh database, attached to a loopback Prosody,
then left alone. Healthy: /healthz answers 200, which needs the stream to the server up.

| run | start to healthy ms | ${seconds.map((s) => `resident MiB ${s}`).join(" | ")} |
|---|---|${IDLE_AFTER_MS.map(() => "---|").join("")}
${result.runs.map((run, n) => `| ${n + 1} | ${fixed(run.startMs, 0)} | ${IDLE_AFTER_MS.map((ms) => fixed(run.residentMiB.get(ms) ?? Number.NaN)).join(" | ")} |`).join("\n")}

Goals: start to healthy under 1 s; resident memory idle under 80 MiB.
`);
}

async function load(machine: string, today: string): Promise<void> {
  const options = { clients: setting("LOAD_CLIENTS", 200), redeemers: setting("LOAD_REDEEMERS", 50), durationMs: setting("LOAD_SECONDS", 60) * 1000 };
  const result = await benchLoad(options);
  const c = result.consistency;
  console.log(`## Load: invite commands and web redemptions together through Prosody 0.12 (${today})

${machine}
Load: ${options.clients} logged-in clients executing \`urn:xmpp:invite#invite\` back to back and
${options.redeemers} invitees redeeming one unlimited invite through the web pages (each creating
a real account), all at once for ${options.durationMs / 1000} s.

| operation | completed | errors | per second | p50 ms | p99 ms |
|---|---|---|---|---|---|
${row("New Invite (ad-hoc, through Prosody)", result.commands)}
${row("Web redemption (page + form, account created)", result.redemptions)}

Porter's peak resident memory: ${peak(result.porterPeakMiB)}.
Afterwards: ${c.reported} accounts reported created; ${c.completedRows} completed and ${c.pendingRows} pending
redemptions in the database; the invite's use count ${c.inviteUses}; ${c.sampledLogins} sampled accounts log in.
`);
}

interface InvitesRun {
  readonly machine: string;
  readonly today: string;
  readonly clients: number;
  readonly roundMs: number;
  readonly rounds: number;
  readonly fullInvites: number;
}

function invitesSection(results: readonly InviteBenchResult[], run: InvitesRun): string {
  const ratio = (a: number, b: number) => fixed(a / b, 2);
  const full = run.fullInvites.toLocaleString("en");
  return `## "New Invite" ad-hoc executions through Prosody 0.12 and 13 (${run.today})

${run.machine}
Load: ${run.clients} logged-in clients, each executing \`urn:xmpp:invite#invite\` back to back,
${run.rounds} alternating rounds of ${run.roundMs / 1000} s per target, on each Prosody in turn, a fresh
group of clients each round. Two Porters run side by side on components of their own: one starts
with an empty table, the other with ${full} invites of 10,000 other users written into it first.
The floor is an xmpp.js component on the same Prosody that answers the same command at once with
the form Porter answers with (the same elements, labels and descriptions, values of the same
lengths; checked before the rounds). CPU time per execution: the target's own process; Prosody's (all of it:
routing, and for its own command the command too); the clients' (the benchmark's process).

| target | executions | errors | executions/s | p50 ms | p99 ms | CPU µs per execution | Prosody CPU µs | clients CPU µs |
|---|---|---|---|---|---|---|---|---|
${results
  .map((result) =>
    [
      measuredRow(`floor component through ${result.version}`, result.floor),
      measuredRow(`${result.version} mod_invites_adhoc (host JID)`, result.prosody),
      measuredRow(`Porter through ${result.version} (component JID)`, result.porter),
      measuredRow(`Porter with ${full} invites, through ${result.version}`, result.porterFull),
    ].join("\n"),
  )
  .join("\n")}

${results
  .map(
    (result) =>
      `${result.version}: Porter / floor throughput ${ratio(result.porter.perSecond, result.floor.perSecond)} (goal: at least 0.70), ` +
      `p99 ${ratio(result.porter.p99Ms, result.floor.p99Ms)} (goal: at most 2.00), CPU per execution ${ratio(result.porter.cpuUs, result.floor.cpuUs)}; ` +
      `with the full table: Porter / floor ${ratio(result.porterFull.perSecond, result.floor.perSecond)}, ` +
      `Porter full / empty ${ratio(result.porterFull.perSecond, result.porter.perSecond)} (goal: at least 0.90); ` +
      `Porter / Prosody ${ratio(result.porter.perSecond, result.prosody.perSecond)}; ` +
      `peak resident memory: Porter ${peak(result.porterPeakMiB)}, Porter with the full table ${peak(result.porterFullPeakMiB)}.`,
  )
  .join("\n")}
`;
}

const peak = (mib: number | undefined) => (mib === undefined ? "unknown" : `${fixed(mib)} MiB`);

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});

/*
 * `npm run bench`: Porter's benchmarks against real servers on loopback.
 * Knobs: BENCH_CLIENTS (20), BENCH_ROUND_MS (5000), BENCH_ROUNDS (3).
 * Prints Markdown for docs/benchmarks.md.
 */
import { cpus } from "node:os";

import { benchInviteCommands } from "./invite-commands.js";
import type { Summary } from "./stats.js";

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const row = (name: string, s: Summary) => `| ${name} | ${s.executions} | ${s.errors} | ${fixed(s.perSecond)} | ${fixed(s.p50Ms)} | ${fixed(s.p99Ms)} |`;

async function main(): Promise<void> {
  const options = { clients: setting("BENCH_CLIENTS", 20), roundMs: setting("BENCH_ROUND_MS", 5000), rounds: setting("BENCH_ROUNDS", 3) };
  const started = new Date();
  const result = await benchInviteCommands(options);
  const cpu = cpus();
  console.log(`## "New Invite" ad-hoc executions through Prosody 0.12 (${started.toISOString().slice(0, 10)})

Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, Node ${process.version}.
Load: ${options.clients} logged-in clients, each executing \`urn:xmpp:invite#invite\` back to back,
${options.rounds} alternating rounds of ${options.roundMs / 1000} s per target.

| target | executions | errors | executions/s | p50 ms | p99 ms |
|---|---|---|---|---|---|
${row("Prosody mod_invites_adhoc (host JID)", result.prosody)}
${row("Porter (component JID)", result.porter)}

Throughput ratio Porter / Prosody: ${fixed(result.porter.perSecond / result.prosody.perSecond, 2)};
p99 ratio Porter / Prosody: ${fixed(result.porter.p99Ms / result.prosody.p99Ms, 2)}.
Porter's peak resident memory: ${result.porterPeakMiB === undefined ? "unknown" : `${fixed(result.porterPeakMiB)} MiB`}.`);
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});

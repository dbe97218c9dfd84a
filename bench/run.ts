/*
 * `npm run bench`: Porter's benchmarks against real servers on loopback.
 * Knobs: BENCH_CLIENTS (20), BENCH_CONNECTIONS (20), BENCH_ROUND_MS (5000),
 * BENCH_ROUNDS (3), BENCH_ONLY (invites | registration).
 * Prints Markdown for docs/benchmarks.md.
 */
import { cpus } from "node:os";

import { benchClientRegistration } from "./client-registration.js";
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
  const only = process.env.BENCH_ONLY;
  if (only !== undefined && only !== "invites" && only !== "registration") throw new Error("BENCH_ONLY must be invites or registration");
  const roundMs = setting("BENCH_ROUND_MS", 5000);
  const rounds = setting("BENCH_ROUNDS", 3);
  const cpu = cpus();
  const machine = `Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, Node ${process.version}.`;
  const today = new Date().toISOString().slice(0, 10);
  if (only !== "registration") {
    const clients = setting("BENCH_CLIENTS", 20);
    const result = await benchInviteCommands({ clients, roundMs, rounds });
    console.log(`## "New Invite" ad-hoc executions through Prosody 0.12 (${today})

${machine}
Load: ${clients} logged-in clients, each executing \`urn:xmpp:invite#invite\` back to back,
${rounds} alternating rounds of ${roundMs / 1000} s per target.

| target | executions | errors | executions/s | p50 ms | p99 ms |
|---|---|---|---|---|---|
${row("Prosody mod_invites_adhoc (host JID)", result.prosody)}
${row("Porter (component JID)", result.porter)}

Throughput ratio Porter / Prosody: ${fixed(result.porter.perSecond / result.prosody.perSecond, 2)};
p99 ratio Porter / Prosody: ${fixed(result.porter.p99Ms / result.prosody.p99Ms, 2)}.
Porter's peak resident memory: ${peak(result.porterPeakMiB)}.
`);
  }
  if (only !== "invites") {
    const connections = setting("BENCH_CONNECTIONS", 20);
    const result = await benchClientRegistration({ connections, roundMs, rounds });
    console.log(`## OAuth2 dynamic client registration (RFC 7591) (${today})

${machine}
Load: ${connections} keep-alive HTTP connections, each posting the same client metadata back to back,
${rounds} alternating rounds of ${roundMs / 1000} s per target.

| target | registrations | errors | registrations/s | p50 ms | p99 ms |
|---|---|---|---|---|---|
${row("node-oidc-provider 9.13.3 (in-memory adapter)", result.reference)}
${row("Porter (stateless)", result.porter)}

Throughput ratio Porter / node-oidc-provider: ${fixed(result.porter.perSecond / result.reference.perSecond, 2)};
p99 ratio Porter / node-oidc-provider: ${fixed(result.porter.p99Ms / result.reference.p99Ms, 2)}.
CPU time per registration (the target process only): Porter ${fixed(result.porterCpuUs, 0)} µs,
node-oidc-provider ${fixed(result.referenceCpuUs, 0)} µs (ratio ${fixed(result.referenceCpuUs / result.porterCpuUs, 2)}).
Porter's peak resident memory: ${peak(result.porterPeakMiB)}.
`);
  }
}

const peak = (mib: number | undefined) => (mib === undefined ? "unknown" : `${fixed(mib)} MiB`);

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});

import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { cpuSecondsOf, PorterProcess } from "../harness/porter-process.js";
import { freePort } from "../harness/ports.js";
import { startProsody } from "../harness/prosody.js";
import type { XmppServer } from "../harness/types.js";
import autocannon from "autocannon";

import { combine, type Summary } from "./stats.js";

export interface RegistrationBenchOptions {
  readonly connections: number;
  readonly roundMs: number;
  readonly rounds: number;
}

export interface RegistrationBenchResult {
  readonly porter: Summary;
  readonly reference: Summary;
  /** Prosody 13's mod_http_oauth2, whose registration design Porter's follows. */
  readonly prosody: Summary;
  /** The Prosody that ran it, e.g. "Prosody 13.0.1". */
  readonly prosodyVersion: string;
  /** CPU time the target process spent per registration, in microseconds. */
  readonly porterCpuUs: number;
  readonly referenceCpuUs: number;
  readonly prosodyCpuUs: number;
  readonly porterPeakMiB: number | undefined;
}

/** The reference checklist's base body: a web client with one redirect URI. */
const BODY = JSON.stringify({ client_name: "Bench App", client_uri: "https://app.example/", redirect_uris: ["https://app.example/cb"] });
const REFERENCE = fileURLToPath(new URL("./oidc-reference.js", import.meta.url));

interface Target {
  readonly port: number;
  readonly path: string;
  readonly pid: number;
  /** The Host header, where the target answers only for its own name (Prosody's VirtualHost). */
  readonly host?: string;
}

const REGISTRATION_KEY = "bench-registration-key-".padEnd(48, "k");

/** The Prosody process that reads this config file: its CPU time is the target's. */
function prosodyPid(configPath: string): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(join("/proc", entry, "cmdline"), "utf8").split("\0");
      if (argv.includes(configPath) && argv.some((arg) => arg.endsWith("/prosody"))) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  throw new Error(`no Prosody process reads ${configPath}`);
}

function registerOnce(target: Target): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: target.path,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(BODY), ...(target.host === undefined ? {} : { host: target.host }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const ok = res.statusCode === 201 && typeof (JSON.parse(Buffer.concat(chunks).toString()) as { client_secret?: unknown }).client_secret === "string";
          resolve(ok);
        });
      },
    );
    req.on("error", () => {
      resolve(false);
    });
    req.end(BODY);
  });
}

/**
 * `connections` keep-alive connections post registrations back to back for
 * `ms`. autocannon generates the load: the generator shares the machine with
 * the target, and Node's own HTTP client would spend more of it than the target.
 */
async function round(target: Target, connections: number, ms: number): Promise<Summary> {
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}${target.path}`,
    method: "POST",
    headers: { "content-type": "application/json", ...(target.host === undefined ? {} : { host: target.host }) },
    body: BODY,
    connections,
    duration: ms / 1000,
  });
  const seconds = result.duration;
  return {
    executions: result["2xx"],
    errors: result.non2xx + result.errors + result.timeouts,
    seconds,
    perSecond: result["2xx"] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

async function startReference(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [REFERENCE, String(port)], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" } });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`oidc-provider did not start within 15 s:\n${output}`));
    }, 15_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`oidc-provider exited with ${String(code)}:\n${output}`));
    });
  });
  return child;
}

/**
 * RFC 7591 registrations per second against Porter (a real `porter start`
 * attached to a real Prosody 13), against node-oidc-provider's registration
 * endpoint and against that Prosody's own mod_http_oauth2, with the same body
 * and load, in alternating rounds.
 */
export async function benchClientRegistration(options: RegistrationBenchOptions): Promise<RegistrationBenchResult> {
  let server: XmppServer | undefined;
  let porter: PorterProcess | undefined;
  let reference: ChildProcess | undefined;
  try {
    const prosodyHttpPort = await freePort();
    server = await startProsody({
      release: "debian13",
      prosodyHttpPort,
      prosodyHostModules: ["http_oauth2"],
      prosodyHostOptions: { oauth2_registration_key: REGISTRATION_KEY },
    });
    porter = await PorterProcess.start(server, {
      env: { PORTER_LOG_LEVEL: "info", PORTER_OAUTH2_REGISTRATION_KEY: REGISTRATION_KEY, PORTER_OAUTH2_REGISTRATION_LIMIT: "1000000" },
    });
    await porter.waitForHealth(200);
    const referencePort = await freePort();
    reference = await startReference(referencePort);
    const targets: Record<"porter" | "reference" | "prosody", Target> = {
      porter: { port: porter.httpPort, path: "/oauth2/register", pid: porter.pid },
      reference: { port: referencePort, path: "/reg", pid: reference.pid ?? 0 },
      prosody: { port: prosodyHttpPort, path: "/oauth2/register", pid: prosodyPid(join(server.dir, "prosody.cfg.lua")), host: server.host },
    };
    for (const [name, target] of Object.entries(targets)) {
      if (!(await registerOnce(target))) throw new Error(`a registration on ${name} did not answer 201 with a client_secret`);
    }
    const rounds = { porter: [] as Summary[], reference: [] as Summary[], prosody: [] as Summary[] };
    const cpu = { porter: 0, reference: 0, prosody: 0 };
    for (let r = 0; r < options.rounds; r++) {
      for (const name of ["reference", "prosody", "porter"] as const) {
        const before = cpuSecondsOf(targets[name].pid) ?? Number.NaN;
        rounds[name].push(await round(targets[name], options.connections, options.roundMs));
        cpu[name] += (cpuSecondsOf(targets[name].pid) ?? Number.NaN) - before;
      }
    }
    const porterSummary = combine(rounds.porter);
    const referenceSummary = combine(rounds.reference);
    const prosodySummary = combine(rounds.prosody);
    return {
      porter: porterSummary,
      reference: referenceSummary,
      prosody: prosodySummary,
      prosodyVersion: server.version,
      porterCpuUs: (cpu.porter / porterSummary.executions) * 1e6,
      referenceCpuUs: (cpu.reference / referenceSummary.executions) * 1e6,
      prosodyCpuUs: (cpu.prosody / prosodySummary.executions) * 1e6,
      porterPeakMiB: porter.peakMemoryMiB(),
    };
  } finally {
    reference?.kill("SIGKILL");
    await porter?.destroy();
    await server?.destroy();
  }
}

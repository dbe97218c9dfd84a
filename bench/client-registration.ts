import type { ChildProcess } from "node:child_process";
import { request } from "node:http";
import { join } from "node:path";

import { cpuSecondsOf, PorterProcess } from "../harness/porter-process.js";
import { freePort } from "../harness/ports.js";
import { startProsody } from "../harness/prosody.js";
import type { XmppServer } from "../harness/types.js";
import autocannon from "autocannon";

import { profiled } from "./invite-commands.js";
import { prosodyPid, startSideProcess, stopSideProcess } from "./side-process.js";
import { combine, type Summary } from "./stats.js";

export interface RegistrationBenchOptions {
  readonly connections: number;
  readonly roundMs: number;
  readonly rounds: number;
}

export interface RegistrationBenchResult {
  /** A bare fastify POST route: what Porter adds is measured from here. */
  readonly floor: Summary;
  readonly porter: Summary;
  readonly reference: Summary;
  /** Prosody 13's mod_http_oauth2, whose registration design Porter's follows. */
  readonly prosody: Summary;
  /** The Prosody that ran it, e.g. "Prosody 13.0.1". */
  readonly prosodyVersion: string;
  /** CPU time the target process spent per registration, in microseconds. */
  readonly floorCpuUs: number;
  readonly porterCpuUs: number;
  readonly referenceCpuUs: number;
  readonly prosodyCpuUs: number;
  readonly porterPeakMiB: number | undefined;
}

/** The reference checklist's base body: a web client with one redirect URI. */
const BODY = JSON.stringify({ client_name: "Bench App", client_uri: "https://app.example/", redirect_uris: ["https://app.example/cb"] });

interface Target {
  readonly port: number;
  readonly path: string;
  readonly pid: number;
  /** The Host header, where the target answers only for its own name (Prosody's VirtualHost). */
  readonly host?: string;
}

/** The targets, in the order each round visits them. */
const NAMES = ["floor", "reference", "prosody", "porter"] as const;
type Name = (typeof NAMES)[number];

const REGISTRATION_KEY = "bench-registration-key-".padEnd(48, "k");

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
  let floor: ChildProcess | undefined;
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
      nodeArgs: profiled(),
    });
    await porter.waitForHealth(200);
    const referencePort = await freePort();
    reference = await startSideProcess("./oidc-reference.js", [String(referencePort)], "listening", { NODE_ENV: "production" });
    const floorPort = await freePort();
    floor = await startSideProcess("./floor-http.js", [String(floorPort)], "listening");
    const targets: Record<Name, Target> = {
      floor: { port: floorPort, path: "/oauth2/register", pid: floor.pid ?? 0 },
      porter: { port: porter.httpPort, path: "/oauth2/register", pid: porter.pid },
      reference: { port: referencePort, path: "/reg", pid: reference.pid ?? 0 },
      prosody: { port: prosodyHttpPort, path: "/oauth2/register", pid: prosodyPid(join(server.dir, "prosody.cfg.lua")), host: server.host },
    };
    for (const [name, target] of Object.entries(targets)) {
      if (!(await registerOnce(target))) throw new Error(`a registration on ${name} did not answer 201 with a client_secret`);
    }
    const rounds: Record<Name, Summary[]> = { floor: [], porter: [], reference: [], prosody: [] };
    const cpu: Record<Name, number> = { floor: 0, porter: 0, reference: 0, prosody: 0 };
    for (let r = 0; r < options.rounds; r++) {
      for (const name of NAMES) {
        const before = cpuSecondsOf(targets[name].pid) ?? Number.NaN;
        rounds[name].push(await round(targets[name], options.connections, options.roundMs));
        cpu[name] += (cpuSecondsOf(targets[name].pid) ?? Number.NaN) - before;
      }
    }
    const floorSummary = combine(rounds.floor);
    const porterSummary = combine(rounds.porter);
    const referenceSummary = combine(rounds.reference);
    const prosodySummary = combine(rounds.prosody);
    return {
      floor: floorSummary,
      porter: porterSummary,
      reference: referenceSummary,
      prosody: prosodySummary,
      prosodyVersion: server.version,
      floorCpuUs: (cpu.floor / floorSummary.executions) * 1e6,
      porterCpuUs: (cpu.porter / porterSummary.executions) * 1e6,
      referenceCpuUs: (cpu.reference / referenceSummary.executions) * 1e6,
      prosodyCpuUs: (cpu.prosody / prosodySummary.executions) * 1e6,
      porterPeakMiB: porter.peakMemoryMiB(),
    };
  } finally {
    await stopSideProcess(reference);
    await stopSideProcess(floor);
    await porter?.stop();
    await porter?.destroy();
    await server?.destroy();
  }
}

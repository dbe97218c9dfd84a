import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { PORTER_CLI, PORTER_NODE_FLAGS } from "./porter-cli.js";
import { freePort } from "./ports.js";
import type { XmppServer } from "./types.js";

export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface PorterProcessOptions {
  /** Overrides and additions to the environment built from the server. */
  readonly env?: Record<string, string>;
  /** The HTTP port to listen on; a free one when not given. */
  readonly httpPort?: number | undefined;
  /** Options for node itself, before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  readonly nodeArgs?: readonly string[];
}

/**
 * A real `porter start` in a child process, configured by PORTER_* variables
 * for the given server, its JSON log lines collected for assertions.
 */
export class PorterProcess {
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly httpPort: number,
    readonly dir: string,
    readonly env: Record<string, string>,
    nodeArgs: readonly string[],
  ) {
    this.child = spawn(process.execPath, [...PORTER_NODE_FLAGS, ...nodeArgs, PORTER_CLI, "start"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        this.raw.push(line);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line (should not happen with format json); kept in raw for the report.
        }
        for (const listener of this.listeners) listener();
      }
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.raw.push(`stderr: ${chunk.toString()}`);
      for (const listener of this.listeners) listener();
    });
    // "close", not "exit": the last log lines may still be in the pipe when the process has
    // exited, and a test that checks the log once Porter is gone must see them all.
    this.exited = new Promise((resolve) =>
      this.child.once("close", (code) => {
        resolve(code);
      }),
    );
  }

  static async start(server: XmppServer, options: PorterProcessOptions = {}): Promise<PorterProcess> {
    const httpPort = options.httpPort ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), "porter-run-"));
    const env: Record<string, string> = {
      PORTER_XMPP_SERVICE: server.componentService,
      PORTER_XMPP_DOMAIN: server.componentDomain,
      PORTER_XMPP_SECRET: server.componentSecret,
      PORTER_XMPP_HOST: server.host,
      PORTER_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      PORTER_HTTP_PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
      PORTER_DATABASE_PATH: join(dir, "porter.sqlite"),
      PORTER_LOG_LEVEL: "debug",
      PORTER_LOG_FORMAT: "json",
      ...options.env,
    };
    return new PorterProcess(httpPort, dir, env, options.nodeArgs ?? []);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** Everything the process printed, for failure messages. */
  output(): string {
    return this.raw.join("\n");
  }

  /**
   * Resolves with the first log line matching, waiting up to timeoutMs. The
   * deadlines here are generous: they only end a test that would hang, and a
   * busy machine may take seconds for what takes milliseconds on an idle one.
   */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(predicate);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${this.output()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => void check();
      if (!check()) this.listeners.add(listener);
    });
  }

  /** Polls /healthz every pollMs until it answers the wanted status. */
  async waitForHealth(status: 200 | 503, timeoutMs = 60_000, pollMs = 100): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer";
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.baseUrl}/healthz`);
        last = `${res.status} ${await res.text()}`;
        if (res.status === status) return;
      } catch (err) {
        last = (err as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    throw new Error(`/healthz did not answer ${status} within ${timeoutMs} ms (last: ${last}); output:\n${this.output()}`);
  }

  /** The process ID; 0 if spawning failed. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Peak resident memory of the process so far, in MiB (Linux). */
  peakMemoryMiB(): number | undefined {
    return peakMemoryMiBOf(this.pid);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code once the process has exited by itself, or fails after timeoutMs. */
  async exitCode(timeoutMs = 60_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`porter still running after ${timeoutMs} ms; output:\n${this.output()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal and resolves with the exit code and how long the exit took. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    if (this.running) this.child.kill(signal);
    const code = await this.exited;
    return { code, ms: Date.now() - started };
  }

  async destroy(): Promise<void> {
    if (this.running) {
      this.child.kill("SIGKILL");
      await this.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Peak resident memory (VmHWM) of a running process, in MiB, from /proc. */
export function peakMemoryMiBOf(pid: number): number | undefined {
  return statusMiB(pid, "VmHWM");
}

/** Resident memory (VmRSS) of a running process now, in MiB, from /proc. */
export function residentMemoryMiBOf(pid: number): number | undefined {
  return statusMiB(pid, "VmRSS");
}

function statusMiB(pid: number, field: "VmHWM" | "VmRSS"): number | undefined {
  try {
    const kib = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (utime + stime) of a running process, in seconds, from /proc. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line (11 and 12 here), in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

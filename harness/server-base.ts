import { readFileSync } from "node:fs";

import { removeTemporary, type ResolvedOptions } from "./state.js";
import type { ServerSystem } from "./system.js";
import type { Release, ServerKind, XmppServer } from "./types.js";

/**
 * Resolves once every process is stopped (state T in /proc): kill(2) only
 * queues SIGSTOP, and a fault test that sends a request next must not find
 * the server still answering.
 */
export async function untilStopped(pids: readonly number[], timeoutMs = 30_000): Promise<void> {
  const state = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    } catch {
      return "gone";
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (!pids.every((pid) => ["T", "t", "gone"].includes(state(pid)))) {
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(", ")} did not stop within ${timeoutMs} ms (states ${pids.map(state).join(", ")})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What every test server shares: its addresses, restart and clean-up. */
export abstract class ServerBase implements XmppServer {
  abstract readonly kind: ServerKind;

  constructor(
    protected readonly o: ResolvedOptions,
    private readonly system: ServerSystem,
  ) {}

  get release(): Release {
    return this.system.release;
  }
  get version(): string {
    return this.system.version;
  }

  get host(): string {
    return this.o.host;
  }
  get componentDomain(): string {
    return this.o.componentDomain;
  }
  get componentSecret(): string {
    return this.o.componentSecret;
  }
  get c2sPort(): number {
    return this.o.c2sPort;
  }
  get componentPort(): number {
    return this.o.componentPort;
  }
  get componentService(): string {
    return `xmpp://127.0.0.1:${this.o.componentPort}`;
  }
  get dir(): string {
    return this.o.dir;
  }

  /** The program and arguments that run one of the server's commands where it is installed. */
  protected command(...argv: string[]): { file: string; args: string[] } {
    return this.system.command(argv, [this.o.dir, ...this.o.bindPaths]);
  }

  /** A system user's ids as the server's own system knows them. */
  protected user(name: string): { uid: number; gid: number } {
    return this.system.user(name);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract register(username: string, password: string, host?: string): Promise<void>;
  abstract logTail(lines?: number): Promise<string>;
  abstract signal(signal: "SIGSTOP" | "SIGCONT" | "SIGKILL"): Promise<void>;

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stop();
    removeTemporary(this.o);
  }

  /** Starts the server and registers the users, or cleans up and rethrows. */
  async boot(users: readonly { readonly username: string; readonly password: string }[]): Promise<this> {
    try {
      await this.start();
      for (const user of users) await this.register(user.username, user.password);
    } catch (err) {
      await this.destroy();
      throw err;
    }
    return this;
  }
}

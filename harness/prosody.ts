import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

import { waitForPorts } from "./ports.js";
import { ServerBase, untilStopped } from "./server-base.js";
import { type ResolvedOptions, resolveOptions, SERVER_MODULES_DIR, tailOf } from "./state.js";
import { type ServerSystem, serverSystem } from "./system.js";
import type { ServerOptions, XmppServer } from "./types.js";

const run = promisify(execFile);
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

const lua = (text: string) => JSON.stringify(text);
const luaList = (items: readonly string[]) => `{ ${items.map(lua).join(", ")} }`;

/** Prosody configuration for one loopback-only test instance, read alike by 0.12 and 13. */
function prosodyConfig(o: ResolvedOptions): string {
  const admins = [...o.admins, ...(o.grantComponentAdmin ? [o.componentDomain] : [])];
  const modules = ["roster", "saslauth", "disco", "ping", "adhoc", "admin_adhoc", "version"];
  if (o.registerRedirectUrl !== undefined) modules.push("register", "register_redirect");
  if (o.porterModule !== undefined) modules.push("register");
  const privileged = o.grantComponentRoster ? `privileged_entities = { [${lua(o.componentDomain)}] = { roster = "both"; message = "outgoing" } }` : "";
  return `-- written by Porter's test harness
run_as_root = true
pidfile = ${lua(join(o.dir, "prosody.pid"))}
data_path = ${lua(join(o.dir, "data"))}
log = { { levels = { min = "info" }, to = "file", filename = ${lua(join(o.dir, "prosody.log"))} } }
interfaces = { "127.0.0.1" }
component_interfaces = { "127.0.0.1" }
c2s_ports = { ${o.c2sPort} }
component_ports = { ${o.componentPort} }
s2s_ports = { }
http_ports = { ${o.prosodyHttpPort ?? ""} }
http_interfaces = { "127.0.0.1" }
https_ports = { }
modules_disabled = { "s2s", "tls" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
admins = ${luaList(admins)}
modules_enabled = ${luaList(modules)}
${o.porterModule === undefined ? "" : `plugin_paths = { ${lua(join(SERVER_MODULES_DIR, "prosody"))} }`}
${
  o.porterModule !== undefined
    ? "allow_registration = true"
    : o.registerRedirectUrl === undefined
      ? "allow_registration = false"
      : `allow_registration = true
registration_url = ${lua(o.registerRedirectUrl)}
-- mod_register_redirect lets loopback clients register normally unless told otherwise
no_registration_whitelist = true`
}

VirtualHost ${lua(o.host)}
  modules_enabled = ${luaList([...(o.grantComponentRoster ? ["privilege"] : []), ...(o.porterModule === undefined ? [] : ["porter"]), ...o.prosodyHostModules])}
${
  o.porterModule === undefined
    ? ""
    : `  porter_component = ${lua(o.componentDomain)}
  porter_open_registration = ${String(o.porterModule.openRegistration)}`
}
${Object.entries(o.prosodyHostOptions)
  .map(([name, value]) => `  ${name} = ${typeof value === "string" ? lua(value) : String(value)}`)
  .join("\n")}
${o.grantComponentRoster ? `  ${privileged}` : ""}

${o.extraHosts.map((extra) => `VirtualHost ${lua(extra)}\n`).join("")}
Component ${lua(o.componentDomain)}
  component_secret = ${lua(o.componentSecret)}
${o.grantComponentRoster ? '  modules_enabled = { "privilege" }' : ""}
${o.prosodyComponents.map((component) => `Component ${lua(component.domain)}\n  component_secret = ${lua(component.secret)}\n`).join("")}`;
}

class ProsodyServer extends ServerBase {
  readonly kind = "prosody" as const;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly configPath: string;
  private readonly logPath: string;

  constructor(o: ResolvedOptions, system: ServerSystem) {
    super(o, system);
    this.configPath = join(o.dir, "prosody.cfg.lua");
    this.logPath = join(o.dir, "prosody.log");
    mkdirSync(join(o.dir, "data"), { recursive: true });
    writeFileSync(this.configPath, o.configFile?.(o) ?? prosodyConfig(o));
  }

  async start(): Promise<void> {
    if (this.child !== undefined) return;
    await this.stopLeftover();
    const out = openSync(join(this.o.dir, "prosody.out"), "a");
    const { file, args } = this.command("prosody", "--config", this.configPath, "-F");
    const child = spawn(file, args, { stdio: ["ignore", out, out], detached: true });
    closeSync(out);
    this.child = child;
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) =>
      child.once("exit", (code) => {
        exitCode = code;
        this.child = undefined;
        resolve();
      }),
    );
    const up = await waitForPorts([this.o.c2sPort, this.o.componentPort], true, START_TIMEOUT_MS);
    if (!up || exitCode !== undefined) {
      await this.stop();
      throw new Error(
        `Prosody did not start (exit code ${String(exitCode)}); log tail:\n${await this.logTail()}\n${tailOf(join(this.o.dir, "prosody.out"), 20)}`,
      );
    }
  }

  /** A Prosody of an earlier run on the same kept folder (the demo's) would hold the ports: end it. */
  private async stopLeftover(): Promise<void> {
    let pid: number;
    try {
      pid = Number(readFileSync(join(this.o.dir, "prosody.pid"), "utf8").trim());
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(this.configPath)) return;
    } catch {
      return;
    }
    process.kill(pid, "SIGTERM");
    await waitForPorts([this.o.c2sPort, this.o.componentPort], false, STOP_TIMEOUT_MS);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid !== undefined) {
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      }, STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await waitForPorts([this.o.c2sPort, this.o.componentPort], false, STOP_TIMEOUT_MS);
  }

  async signal(signal: "SIGSTOP" | "SIGCONT" | "SIGKILL"): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error(`Prosody is not running: cannot send ${signal}`);
    process.kill(-pid, signal);
    if (signal === "SIGSTOP") await untilStopped([pid]);
    if (signal === "SIGKILL") {
      await this.exited;
      await waitForPorts([this.o.c2sPort, this.o.componentPort], false, STOP_TIMEOUT_MS);
    }
  }

  async register(username: string, password: string, host = this.o.host): Promise<void> {
    try {
      const { file, args } = this.command("prosodyctl", "--config", this.configPath, "register", username, host, password);
      await run(file, args);
    } catch (err) {
      throw new Error(`prosodyctl register ${username}@${host} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  logTail(lines = 40): Promise<string> {
    return Promise.resolve(tailOf(this.logPath, lines));
  }
}

/** Starts a loopback Prosody (0.12 or 13) with the component configured and the users registered. */
export async function startProsody(options: ServerOptions = {}): Promise<XmppServer> {
  const system = await serverSystem("prosody", options.release);
  return new ProsodyServer(await resolveOptions(options, "porter-prosody-"), system).boot(options.users ?? []);
}

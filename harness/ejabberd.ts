import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { waitForPorts } from "./ports.js";
import { ServerBase, untilStopped } from "./server-base.js";
import { removeTemporary, type ResolvedOptions, resolveOptions, SERVER_MODULES_DIR, tailOf } from "./state.js";
import { type ServerSystem, serverSystem } from "./system.js";
import type { ServerOptions, XmppServer } from "./types.js";

const run = promisify(execFile);
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const yamlString = (text: string) => JSON.stringify(text);
/** Where an instance's mod_porter.beam is built (server-modules/ejabberd/build.sh). */
const porterModuleDir = (o: ResolvedOptions) => join(o.dir, "porter-module");

/** ejabberd configuration for one loopback-only test instance, read alike by 23.01 and 24.12. */
function ejabberdConfig(o: ResolvedOptions): string {
  const adminAcl = o.admins.length > 0 ? `  admin:\n    user:\n${o.admins.map((jid) => `      - ${yamlString(jid)}`).join("\n")}\n` : "";
  const configureRule = [...(o.admins.length > 0 ? ["admin"] : []), ...(o.grantComponentAdmin ? ["porter"] : [])];
  // With Porter's module too, mod_register's own access stays none: sessions that presented a
  // Porter token register through mod_porter instead.
  const registerAccess = o.porterModule?.openRegistration === true ? "all" : "none";
  const redirect = o.registerRedirectUrl === undefined ? "" : `    redirect_url: ${yamlString(o.registerRedirectUrl)}\n`;
  const register = `  mod_register:\n    access: ${registerAccess}\n${redirect}`;
  const porter = o.porterModule === undefined ? "" : `  mod_porter:\n    component: ${yamlString(o.componentDomain)}\n`;
  const privilege = o.grantComponentRoster
    ? "  mod_privilege:\n    roster:\n      both: porter_component\n    message:\n      outgoing: porter_component\n"
    : "";
  return `# written by Porter's test harness
hosts:
${[o.host, ...o.extraHosts].map((host) => `  - ${yamlString(host)}`).join("\n")}
loglevel: info
certfiles: []
auth_method: internal
default_db: mnesia
listen:
  - port: ${o.c2sPort}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls: false
  - port: ${o.componentPort}
    ip: "127.0.0.1"
    module: ejabberd_service
    global_routes: false
    hosts:
      ${yamlString(o.componentDomain)}:
        password: ${yamlString(o.componentSecret)}
acl:
${adminAcl}  porter:
    server: ${yamlString(o.componentDomain)}
access_rules:
  local:
    allow: local
  c2s:
    allow: all
  configure:
${configureRule.length > 0 ? configureRule.map((acl) => `    - allow: ${acl}`).join("\n") : "    deny: all"}
  porter_component:
    allow: porter
modules:
  mod_adhoc: {}
  mod_configure: {}
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
  mod_version: {}
${register}${privilege}${porter}`;
}

class EjabberdServer extends ServerBase {
  readonly kind = "ejabberd" as const;
  private readonly node = `porter${randomBytes(4).toString("hex")}@localhost`;
  private readonly ctlConfig: string;
  private readonly config: string;
  private readonly spool: string;
  private readonly logs: string;
  private running = false;

  constructor(o: ResolvedOptions, system: ServerSystem) {
    super(o, system);
    this.ctlConfig = join(o.dir, "ejabberdctl.cfg");
    this.config = join(o.dir, "ejabberd.yml");
    this.spool = join(o.dir, "spool");
    this.logs = join(o.dir, "logs");
    // ejabberdctl runs the server as user ejabberd: it must reach and own its folders.
    chmodSync(o.dir, 0o755);
    const { uid, gid } = this.user("ejabberd");
    for (const folder of [this.spool, this.logs]) {
      mkdirSync(folder, { recursive: true });
      chownSync(folder, uid, gid);
    }
    // Without these the Erlang distribution and epmd listen on every interface.
    // mod_porter.beam, built by startEjabberd, is on the code path as operators put it (docs/servers.md).
    const modulePath = o.porterModule === undefined ? "" : `ERL_OPTIONS="-pa ${porterModuleDir(o)}"\n`;
    writeFileSync(this.ctlConfig, `INET_DIST_INTERFACE=127.0.0.1\nERL_EPMD_ADDRESS=127.0.0.1\n${modulePath}`);
    writeFileSync(this.config, o.configFile?.(o) ?? ejabberdConfig(o), { mode: 0o644 });
  }

  private ctl(...args: string[]) {
    const ctl = ["--ctl-config", this.ctlConfig, "--config", this.config, "--spool", this.spool, "--logs", this.logs, "--node", this.node];
    const { file, args: argv } = this.command("ejabberdctl", ...ctl, ...args);
    return run(file, argv, { timeout: STOP_TIMEOUT_MS });
  }

  async start(): Promise<void> {
    if (this.running) return;
    const first = await this.startOnce();
    if (first === undefined) return;
    // Under a load average above 10, ejabberd has been seen to start no VM at all (not a
    // line of log in a minute) while the next start works: one more try, and a failure
    // that shows what both left.
    const second = await this.startOnce();
    if (second === undefined) return;
    throw new Error(`ejabberd did not open its ports within ${START_TIMEOUT_MS} ms, twice.\nFirst try: ${first}\nSecond try: ${second}`);
  }

  /** One start; undefined when the ports opened, else what ejabberd said, after stopping what started. */
  private async startOnce(): Promise<string | undefined> {
    try {
      await this.ctl("start");
    } catch (err) {
      throw new Error(`ejabberdctl start failed: ${(err as Error).message}\n${await this.logTail()}`, { cause: err });
    }
    this.running = true;
    if (await waitForPorts([this.o.c2sPort, this.o.componentPort], true, START_TIMEOUT_MS)) return undefined;
    const status = await this.ctl("status").then(
      ({ stdout, stderr }) => `${stdout}${stderr}`.trim(),
      (err: unknown) => (err as Error).message,
    );
    await this.stop();
    return `ejabberdctl status: ${status}\nlog tail:\n${await this.logTail()}`;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    try {
      await this.ctl("stop");
      await this.ctl("stopped");
    } catch {
      // Already down, or the node does not answer: make sure nothing of it is left.
      await run("pkill", ["-KILL", "-f", "--", `-sname ${this.nodeName}`]).catch(() => undefined);
    }
    this.running = false;
    await waitForPorts([this.o.c2sPort, this.o.componentPort], false, STOP_TIMEOUT_MS);
  }

  async signal(signal: "SIGSTOP" | "SIGCONT" | "SIGKILL"): Promise<void> {
    if (!this.running) throw new Error(`ejabberd is not running: cannot send ${signal}`);
    // The Erlang VM (beam.smp) is the one process started with this node's name.
    const { stdout } = await run("pgrep", ["-f", "--", `-sname ${this.nodeName}`]);
    const pids = stdout.trim().split("\n").map(Number);
    for (const pid of pids) process.kill(pid, signal);
    if (signal === "SIGSTOP") await untilStopped(pids);
    if (signal === "SIGKILL") {
      this.running = false;
      await waitForPorts([this.o.c2sPort, this.o.componentPort], false, STOP_TIMEOUT_MS);
    }
  }

  private get nodeName(): string {
    return this.node.split("@")[0] ?? "";
  }

  async register(username: string, password: string, host = this.o.host): Promise<void> {
    try {
      await this.ctl("register", username, host, password);
    } catch (first) {
      // On a busy machine the ports can be open before ejabberd runs its commands (seen
      // once on 24.12 under a load average of 12): wait until the node says it has
      // started, then try once more.
      try {
        await this.untilStarted();
        await this.ctl("register", username, host, password);
      } catch (err) {
        // ejabberdctl prints its reason on standard output, which the error's message leaves out.
        const said = [first, err].map((e) => (e as { stdout?: string }).stdout?.trim() ?? "").join(" / ");
        throw new Error(`ejabberdctl register ${username}@${host} failed: ${(err as Error).message}${said}\n${await this.logTail(20)}`, { cause: err });
      }
    }
  }

  /** Polls `ejabberdctl status` until the node reports ejabberd started. */
  private async untilStarted(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      try {
        await this.ctl("status");
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  logTail(lines = 40): Promise<string> {
    return Promise.resolve(`${tailOf(join(this.logs, "ejabberd.log"), lines)}\n${tailOf(join(this.logs, "error.log"), lines)}`);
  }
}

/** Starts a loopback ejabberd (23.01 or 24.12) with the component configured and the users registered. */
export async function startEjabberd(options: ServerOptions = {}): Promise<XmppServer> {
  if (userInfo().uid !== 0) throw new Error("ejabberd's test instances run through ejabberdctl as root, which starts them as user ejabberd");
  const system = await serverSystem("ejabberd", options.release);
  // ejabberd 24.10 to 24.12's mod_privilege drops every IQ a component sends to a bare JID
  // unless it is wrapped as a privileged IQ, the admin commands included (its log says "IQ
  // not forwarded: Component tried to send not wrapped IQ stanza"; fixed in 25.03 by
  // ejabberd commit a4062f6ac). So there the roster grant is off unless a test asks for it.
  const grantComponentRoster = options.grantComponentRoster ?? system.release === "debian12";
  const o = await resolveOptions({ ...options, grantComponentRoster }, "porter-ejabberd-");
  if (o.porterModule !== undefined) {
    await buildPorterModule(o, system).catch((err: unknown) => {
      removeTemporary(o);
      throw err;
    });
  }
  return new EjabberdServer(o, system).boot(options.users ?? []);
}

/** Compiles this checkout's mod_porter with build.sh where the server runs (in the chroot for 24.12), as operators do. */
async function buildPorterModule(o: ResolvedOptions, system: ServerSystem): Promise<void> {
  const { file, args } = system.command(["sh", join(SERVER_MODULES_DIR, "ejabberd", "build.sh"), porterModuleDir(o)], [o.dir, ...o.bindPaths]);
  try {
    await run(file, args, { timeout: START_TIMEOUT_MS });
  } catch (err) {
    throw new Error(`server-modules/ejabberd/build.sh failed: ${(err as Error).message}`, { cause: err });
  }
}

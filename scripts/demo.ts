/*
 * `npm run demo`: a loopback Prosody with an admin and a user, and Porter
 * attached to it, so the whole thing can be tried from a browser, the command
 * line and an XMPP client on this machine. State is kept in demo/ between runs.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { promisify } from "node:util";

import { pino } from "pino";
import pretty from "pino-pretty";
import QRCode from "qrcode";
import { stringify } from "yaml";

import { ensureDebianPackages } from "../harness/install.js";
import { PORTER_CLI } from "../harness/porter-cli.js";
import { freePort } from "../harness/ports.js";
import { startProsody } from "../harness/prosody.js";
import { App } from "../src/app.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log/logger.js";
import { renderSummary, shellCommand, shownPath } from "./demo-summary.js";
import { colourFor, style } from "./terminal.js";

const run = promisify(execFile);

const DEMO_DIR = resolve("demo");
const CONFIG_PATH = resolve(DEMO_DIR, "porter.yaml");
const LOG_PATH = resolve(DEMO_DIR, "porter.log");
const ADMIN = { username: "admin", password: "admin-demo-password" };
const USER = { username: "alice", password: "alice-demo-password" };
/** Metadata Porter accepts from a native client: the example registration succeeds as printed. */
const OAUTH2_CLIENT = { client_name: "Demo client", client_uri: "https://client.example", redirect_uris: ["http://127.0.0.1:8080/callback"] };

/** The port usual for the service when it is free, so that clients find it without settings; another one otherwise. */
async function portOr(preferred: number): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => void freePort().then(done));
    probe.listen(preferred, "127.0.0.1", () =>
      probe.close(() => {
        done(preferred);
      }),
    );
  });
}

/** Every step of the start-up ends, so that a signal waiting for it (below) is answered. */
async function online(app: App, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Porter's component stream did not come up within ${timeoutMs / 1000} s; see ${shownPath(LOG_PATH)}`));
    }, timeoutMs);
  });
  try {
    await Promise.race([app.xmpp.connection.waitOnline(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What has been started, stopped in reverse order when the demo ends, however it ends. */
const cleanups: (() => Promise<void>)[] = [];
let ending: Promise<void> | undefined;

function end(code: number, message: string, startup: Promise<unknown>): Promise<void> {
  ending ??= (async () => {
    // A signal during the start-up waits for it, so that nothing it starts is left running.
    await startup.catch(() => undefined);
    let failed = false;
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        failed = true;
        console.error(`demo: stopping failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    console.log(message);
    process.exit(failed ? 1 : code);
  })();
  return ending;
}

async function start(): Promise<void> {
  const out = style(colourFor(process.stdout));
  await ensureDebianPackages(["prosody"]);
  mkdirSync(DEMO_DIR, { recursive: true });

  const server = await startProsody({
    dir: resolve(DEMO_DIR, "prosody"),
    componentSecret: "demo-component-secret",
    admins: [`${ADMIN.username}@localhost`],
    users: [ADMIN, USER],
    c2sPort: await portOr(5222),
    componentPort: await portOr(5347),
  });
  cleanups.push(() => server.stop());

  const httpPort = await portOr(5380);
  const publicUrl = `http://127.0.0.1:${httpPort}`;
  // The demo runs from a config file like any installation, so it can be read and reused.
  writeFileSync(
    CONFIG_PATH,
    `# Written by npm run demo for the loopback Prosody in ${shownPath(server.dir)}\n` +
      stringify({
        xmpp: { service: server.componentService, domain: server.componentDomain, secret: server.componentSecret, host: server.host },
        admins: [`${ADMIN.username}@${server.host}`],
        // Open, so that /register shows its form; by default accounts come by invitation only.
        invites: { registration_invite_only: false },
        http: { listen: `127.0.0.1:${httpPort}`, public_url: publicUrl },
        // A new key each run: clients registered in an earlier run are no longer recognised.
        oauth2: { registration_key: randomBytes(48).toString("base64") },
        database: { path: resolve(DEMO_DIR, "porter.sqlite") },
        log: { level: "info" },
      }),
  );
  const { config } = loadConfig({ path: CONFIG_PATH, env: {} });
  // The whole log goes to a file; only warnings and errors interrupt the summary on the terminal.
  const prettyOptions = { translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l", ignore: "pid,hostname", sync: true };
  const destination = pino.multistream([
    { level: "info", stream: pretty({ ...prettyOptions, colorize: false, destination: LOG_PATH, append: true }) },
    { level: "warn", stream: pretty({ ...prettyOptions, colorize: colourFor(process.stderr), destination: 2 }) },
  ]);
  const app = new App({ config, log: createLogger({ level: config.log.level, format: "pretty", destination }) });
  cleanups.push(() => app.stop());
  await app.start();
  await online(app, 30_000);

  // Through the porter command, as an operator would make it.
  const cli = [shownPath(PORTER_CLI), "invite", "create", "--config", shownPath(CONFIG_PATH)];
  const { stdout } = await run(process.execPath, [...cli, "--json", "--note", "made by npm run demo"], { timeout: 20_000 });
  const invite = JSON.parse(stdout) as { landing_url: string; expires: string };
  const qr = out.colour
    ? await QRCode.toString(invite.landing_url, { type: "terminal", small: true })
    : await QRCode.toString(invite.landing_url, { type: "utf8", margin: 2 });

  console.log(
    renderSummary(
      {
        server: server.version,
        invite: { url: invite.landing_url, expires: invite.expires, qr },
        registerUrl: `${publicUrl}/register`,
        inviteCommand: shellCommand(["node", ...cli]),
        oauth2Command: shellCommand([
          "curl",
          "-sS",
          "-H",
          "Content-Type: application/json",
          "-d",
          JSON.stringify(OAUTH2_CLIENT),
          `${publicUrl}/oauth2/register`,
        ]),
        c2sPort: server.c2sPort,
        accounts: [`${ADMIN.username}@${server.host} / ${ADMIN.password} (admin)`, `${USER.username}@${server.host} / ${USER.password}`],
        component: server.componentDomain,
        files: [shownPath(CONFIG_PATH), shownPath(LOG_PATH)],
      },
      out,
    ),
  );
}

const startup = start();
const stop = () => void end(0, `Stopped Porter and Prosody; their state stays in ${shownPath(DEMO_DIR)}/.`, startup);
// Repeated signals (Ctrl-C pressed twice, a supervisor's retry) must not cut the clean-up short.
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// A closed terminal must not leave Prosody running: it runs in a process group of its own.
process.on("SIGHUP", stop);
startup.catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  void end(1, "The demo did not start; whatever it had started is stopped.", startup);
});

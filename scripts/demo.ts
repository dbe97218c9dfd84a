/*
 * `npm run demo`: a loopback Prosody with an admin and a user, and Porter
 * attached to it, so the whole thing can be tried from an XMPP client and a
 * browser on this machine. State is kept in demo/ between runs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";

import { stringify } from "yaml";

import { ensureDebianPackages } from "../harness/install.js";
import { freePort } from "../harness/ports.js";
import { startProsody } from "../harness/prosody.js";
import { App } from "../src/app.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log/logger.js";

const DEMO_DIR = resolve("demo");
const ADMIN = { username: "admin", password: "admin-demo-password" };
const USER = { username: "alice", password: "alice-demo-password" };

async function portOr(preferred: number): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => void freePort().then(done));
    probe.listen(preferred, "127.0.0.1", () => probe.close(() => { done(preferred); }));
  });
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log("Note: the demo installs Prosody with apt-get when it is missing, which needs root.");
  }
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
  const httpPort = await portOr(5380);
  // The demo runs from a config file like any installation, so it can be read and reused.
  const configPath = resolve(DEMO_DIR, "porter.yaml");
  writeFileSync(
    configPath,
    `# Written by npm run demo for the loopback Prosody in ${relative(process.cwd(), server.dir)}\n` +
      stringify({
        xmpp: { service: server.componentService, domain: server.componentDomain, secret: server.componentSecret, host: server.host },
        admins: [`${ADMIN.username}@${server.host}`],
        http: { listen: `127.0.0.1:${httpPort}`, public_url: `http://127.0.0.1:${httpPort}` },
        database: { path: resolve(DEMO_DIR, "porter.sqlite") },
        log: { level: "info", format: "pretty" },
      }),
  );
  const { config } = loadConfig({ path: configPath, env: {} });
  const log = createLogger(config.log);
  const app = new App({ config, log });
  await app.start();
  await app.xmpp.connection.waitOnline();

  console.log(`
Porter is attached to a loopback Prosody. Try:

  Web:     http://127.0.0.1:${httpPort}/healthz   and   http://127.0.0.1:${httpPort}/metrics
  XMPP:    log in with any XMPP client to 127.0.0.1 port ${server.c2sPort} (plain, no TLS, loopback only)
           admin: ${ADMIN.username}@${server.host} / ${ADMIN.password}
           user:  ${USER.username}@${server.host} / ${USER.password}
           then open the service ${server.componentDomain} (service discovery, ad-hoc commands)
  Config:  ${relative(process.cwd(), configPath)}  (check it: node dist/src/cli/porter.js config check -c ${relative(process.cwd(), configPath)})

State lives in ${DEMO_DIR}. Press Ctrl-C to stop Porter and Prosody.
`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await app.stop();
      await server.stop();
      process.exit(0);
    })();
  };
  // Repeated signals (Ctrl-C pressed twice, a supervisor's retry) must not cut the clean-up short.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

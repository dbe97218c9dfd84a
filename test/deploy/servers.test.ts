import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import xml from "@xmpp/xml";

import { startServer } from "../../harness/index.js";
import type { ServerKind, XmppServer } from "../../harness/types.js";
import { canLogIn } from "../../harness/xmpp-client.js";
import { preAuthRegisterAttempt, preAuthRegisterQuery } from "../../harness/pre-auth-register.js";
import { Metrics } from "../../src/metrics/metrics.js";
import { AdminCommandGateway } from "../../src/xmpp/admin-commands.js";
import { ComponentConnection } from "../../src/xmpp/connection.js";
import { NS } from "../../src/xmpp/namespaces.js";
import { RosterPairing } from "../../src/xmpp/roster-pairing.js";
import { ejabberdTestConfig, porterContainerEnvironment, prosodyTestConfig } from "../support/deploy.js";
import { capturingLogger } from "../support/logs.js";

const USERS = [
  { username: "alice", password: "alice-password" },
  { username: "bob", password: "bob-password" },
];

/*
 * The server configs of deploy/ on the real servers, attached to with the
 * names and secret of the example's Porter: what docker compose up would
 * give, short of the images (the servers here are Debian's packages of the
 * same versions).
 */
for (const kind of ["prosody", "ejabberd"] as const satisfies readonly ServerKind[]) {
  describe(`deploy/${kind} on real ${kind}`, () => {
    const env = porterContainerEnvironment(kind);
    const [host, domain, secret] = [env.PORTER_XMPP_HOST ?? "", env.PORTER_XMPP_DOMAIN ?? "", env.PORTER_XMPP_SECRET ?? ""];
    const log = capturingLogger();
    let server: XmppServer;
    let connection: ComponentConnection;

    before(async () => {
      server = await startServer(kind, {
        host,
        componentDomain: domain,
        componentSecret: secret,
        users: USERS,
        configFile: kind === "prosody" ? prosodyTestConfig : ejabberdTestConfig,
      });
      connection = new ComponentConnection({ service: server.componentService, domain, secret, host, log: log.log, metrics: new Metrics() });
      connection.start();
      await connection.waitOnline();
    });

    after(async () => {
      await connection.stop();
      await server.destroy();
    });

    it("accepts Porter's component with the example's secret and lets it create accounts (XEP-0133)", async () => {
      const gateway = new AdminCommandGateway(connection, { host, domain }, log.log);
      assert.deepEqual(await gateway.createAccount("newcomer", "newcomer-Password-1"), { ok: true });
      assert.equal(await canLogIn(server, "newcomer", "newcomer-Password-1"), true);
    });

    it("gives Porter the rosters of the host's users (XEP-0356)", async () => {
      const reply = await connection.request(xml("iq", { type: "get", to: `alice@${host}`, from: domain }, xml("query", { xmlns: NS.roster })));
      assert.equal(reply.attrs.type, "result", reply.toString());
      // Only Prosody's mod_privilege honours the subscription of a privileged roster set.
      const paired = await new RosterPairing(connection, domain, log.log).pair(`alice@${host}`, `bob@${host}`);
      assert.equal(paired, kind === "prosody");
    });

    it("sends clients that would register without an invite to Porter's /register", async () => {
      const registerUrl = `${env.PORTER_HTTP_PUBLIC_URL ?? ""}/register`;
      if (kind === "ejabberd") {
        const reply = await preAuthRegisterQuery(server);
        assert.ok(reply.includes(`<url>${registerUrl}</url>`), reply);
      } else {
        // mod_porter keeps in-band registration for apps with an invite and names the page to the others.
        const reply = await preAuthRegisterAttempt(server, { username: "mallory", password: "mallory-password" });
        assert.ok(reply.includes(registerUrl), reply);
      }
    });

    it("lets nobody register in-band on the server itself without an invite", async () => {
      await assertRegistrationRefused(server);
    });

    if (kind === "prosody") {
      it("loads Porter's module, which the host announces to Porter", async () => {
        const reply = await connection.request(xml("iq", { type: "get", to: host, from: domain }, xml("query", { xmlns: NS.discoInfo })));
        const features = reply.getChild("query", NS.discoInfo)?.getChildren("feature").map((feature) => feature.attrs.var as string) ?? [];
        assert.ok(features.includes(NS.bridge), reply.toString());
      });
    }
  });
}

describe("deploy/prosody without Porter's module (server-modules not mounted)", () => {
  const env = porterContainerEnvironment("prosody");
  let server: XmppServer;

  before(async () => {
    server = await startServer("prosody", {
      host: env.PORTER_XMPP_HOST ?? "",
      componentDomain: env.PORTER_XMPP_DOMAIN ?? "",
      componentSecret: env.PORTER_XMPP_SECRET ?? "",
      configFile: (instance) => {
        const config = prosodyTestConfig(instance);
        const withoutModule = config.replace(/; "porter" \}/, " }");
        assert.notEqual(withoutModule, config);
        return withoutModule;
      },
    });
  });

  after(async () => {
    await server.destroy();
  });

  it("still lets nobody register in-band", async () => {
    await assertRegistrationRefused(server);
  });
});

async function assertRegistrationRefused(server: XmppServer): Promise<void> {
  const reply = await preAuthRegisterAttempt(server, { username: "mallory", password: "mallory-password" });
  assert.match(reply, /^<iq[^>]*type=["']error["']/, reply);
  assert.equal(await canLogIn(server, "mallory", "mallory-password"), false);
}

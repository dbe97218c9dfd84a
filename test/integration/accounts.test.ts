import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { startServer } from "../../harness/index.js";
import { SERVERS, serversWhere } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn } from "../../harness/xmpp-client.js";
import { Metrics } from "../../src/metrics/metrics.js";
import { AdminCommandGateway } from "../../src/xmpp/admin-commands.js";
import { ComponentConnection } from "../../src/xmpp/connection.js";
import { capturingLogger } from "../support/logs.js";
import { isPrivilegeAnnouncement, received, sent, within } from "../support/wait.js";

async function attach(server: XmppServer, log = capturingLogger()) {
  const connection = new ComponentConnection({
    service: server.componentService,
    domain: server.componentDomain,
    secret: server.componentSecret,
    host: server.host,
    log: log.log,
    metrics: new Metrics(),
  });
  const privilege = received(connection, isPrivilegeAnnouncement);
  connection.start();
  await connection.waitOnline();
  return { connection, gateway: new AdminCommandGateway(connection, { host: server.host, domain: server.componentDomain }, log.log), log, privilege };
}

for (const { kind, release, label } of SERVERS) {
  describe(`accounts through XEP-0133 on real ${label}`, () => {
    let server: XmppServer;
    let attached: Awaited<ReturnType<typeof attach>>;

    before(async () => {
      server = await startServer(kind, { release, users: [{ username: "existing", password: "existing-password" }] });
      attached = await attach(server);
    });

    after(async () => {
      await attached.connection.stop();
      await server.destroy();
    });

    it("creates an account that can then log in", async () => {
      assert.deepEqual(await attached.gateway.createAccount("newbie", "first-Password-1"), { ok: true });
      assert.equal(await canLogIn(server, "newbie", "first-Password-1"), true);
    });

    it("reports a taken username as taken", async () => {
      const outcome = await attached.gateway.createAccount("existing", "whatever-Password-2");
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.reason, "taken", JSON.stringify(outcome));
      assert.equal(await canLogIn(server, "existing", "existing-password"), true, "the existing account is untouched");
    });

    it("changes the password of an existing account", async () => {
      assert.deepEqual(await attached.gateway.createAccount("changer", "first-Password-11"), { ok: true });
      assert.deepEqual(await attached.gateway.changePassword("changer", "second-Password-3"), { ok: true });
      assert.equal(await canLogIn(server, "changer", "second-Password-3"), true);
      assert.equal(await canLogIn(server, "changer", "first-Password-11"), false);
    });

    it("reports a password change for an account that does not exist as missing", async () => {
      const outcome = await attached.gateway.changePassword("ghost", "ghost-Password-7");
      assert.equal(!outcome.ok && outcome.reason, "missing", JSON.stringify(outcome));
      assert.equal(await canLogIn(server, "ghost", "ghost-Password-7"), false);
    });

    it("never logs the passwords it sends", async () => {
      const [created, changed, refused] = ["logged-Password-12", "logged-Password-13", "logged-Password-14"] as const;
      assert.deepEqual(await attached.gateway.createAccount("logged", created), { ok: true });
      assert.deepEqual(await attached.gateway.changePassword("logged", changed), { ok: true });
      assert.equal((await attached.gateway.createAccount("existing", refused)).ok, false);
      const text = attached.log.text();
      assert.match(text, /admin command refused/, "the refusal, whose details come from the server, was logged");
      for (const secret of [created, changed, refused]) assert.ok(!text.includes(secret), secret);
    });

    it("tells whether an account exists, leaving both kinds as they were", async () => {
      assert.equal(await attached.gateway.accountExists("existing"), true);
      assert.equal(await canLogIn(server, "existing", "existing-password"), true, "the existing account keeps its password");
      assert.equal(await attached.gateway.accountExists("nobody-here"), false);
      assert.equal(await attached.gateway.accountExists("nobody-here"), false, "the check left no account behind");
      assert.deepEqual(await attached.gateway.createAccount("nobody-here", "later-Password-8"), { ok: true });
      assert.equal(await attached.gateway.accountExists("nobody-here"), true);
    });

    it("reports a command whose answer is lost as uncertain, at once when the stream drops", async () => {
      await server.signal("SIGSTOP");
      let killed = false;
      try {
        const written = sent(attached.connection, (element) => element.name === "iq");
        const pending = attached.gateway.createAccount("frozen", "frozen-Password-9");
        // The request is on its way to a server that cannot read it; then the server dies.
        await within(written, "the add-user command to be written to the frozen server's socket");
        await server.signal("SIGKILL");
        killed = true;
        const outcome = await pending;
        assert.equal(!outcome.ok && outcome.reason, "uncertain", JSON.stringify(outcome));
      } finally {
        if (!killed) await server.signal("SIGCONT");
        await server.start();
        await attached.connection.waitOnline();
      }
      assert.equal(await attached.gateway.accountExists("frozen"), false, "the frozen server never created it");
      assert.equal(await canLogIn(server, "existing", "existing-password"), true);
    });

    it("says the server is unavailable when the stream is down, without waiting", async () => {
      await server.stop();
      try {
        const outcome = await attached.gateway.createAccount("during-outage", "outage-Password-4");
        assert.equal(!outcome.ok && outcome.reason, "unavailable", JSON.stringify(outcome));
      } finally {
        await server.start();
        await attached.connection.waitOnline();
      }
      assert.deepEqual(await attached.gateway.createAccount("after-outage", "outage-Password-5"), { ok: true });
    });
  });

  describe(`accounts on real ${label} without the admin grant`, () => {
    it("reports that the server does not permit it", async () => {
      const server = await startServer(kind, { release, grantComponentAdmin: false });
      const { connection, gateway } = await attach(server);
      try {
        const outcome = await gateway.createAccount("nobody", "nobody-Password-6");
        assert.equal(!outcome.ok && outcome.reason, "not-permitted", JSON.stringify(outcome));
        assert.equal(await canLogIn(server, "nobody", "nobody-Password-6"), false);
      } finally {
        await connection.stop();
        await server.destroy();
      }
    });
  });
}

// ejabberd 24.12's mod_privilege drops the admin commands of a component it grants
// privileges to, so the harness leaves it out there (harness/ejabberd.ts). This pins
// the reason: once a Debian update brings the fix, this fails, and the grant can be
// the default on ejabberd 24.12 again.
for (const { kind, release, label } of serversWhere({ kind: "ejabberd", release: "debian13" })) {
  describe(`accounts on real ${label} with the roster privilege`, () => {
    it("are out of reach: the server drops the admin commands unanswered", async () => {
      const server = await startServer(kind, { release, grantComponentRoster: true });
      const { connection, gateway, privilege } = await attach(server);
      try {
        // Until mod_privilege has filed the grant it drops requests for another reason
        // ("Component seems disconnected"). It files the grant in the same step as it sends
        // the announcement, so once that has come, what the server does is what lasts.
        await within(privilege, "ejabberd's announcement of the roster privilege");
        const outcome = await gateway.createAccount("dropped", "dropped-Password-10");
        assert.equal(!outcome.ok && outcome.reason, "uncertain", JSON.stringify(outcome));
        assert.match(await server.logTail(), /IQ not forwarded: Component tried to send not wrapped IQ stanza/);
        assert.equal(await canLogIn(server, "dropped", "dropped-Password-10"), false);
      } finally {
        await connection.stop();
        await server.destroy();
      }
    });
  });
}

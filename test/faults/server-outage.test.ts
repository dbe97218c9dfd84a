import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import xml, { type Element } from "@xmpp/xml";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { submitInviteForm } from "../../harness/invite-form.js";
import type { PorterProcess } from "../../harness/porter-process.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn, connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { createInviteLink, pendingCount, useRecords, waitUntilNothingHeld } from "../support/held-uses.js";
import { until } from "../support/wait.js";

const CMD = "http://jabber.org/protocol/commands";
const ADMIN = { username: "admin", password: "admin-password" };
/**
 * Registered after the server is killed and restarted: ejabberd writes its
 * Mnesia log asynchronously, so an account made a second before SIGKILL may
 * be gone afterwards, which is the server's loss and not what these tests check.
 */
const LATER_ADMIN = { username: "later-admin", password: "later-admin-password" };
const INVITEE_PASSWORD = "outage-Password-11";

for (const { kind, release, label } of SERVERS) {
  describe(`the ${label} server killed while Porter works`, () => {
    let attached: Attached;
    let server: XmppServer;
    let porter: PorterProcess;
    let admin: TestClient | undefined;
    let database: string;

    before(async () => {
      attached = await startServerWithPorter(kind, { release, users: [ADMIN] }, (started) => ({
        PORTER_ADMINS: `${ADMIN.username}@${started.host}, ${LATER_ADMIN.username}@${started.host}`,
      }));
      ({ server, porter } = attached);
      database = join(porter.dir, "porter.sqlite");
    });

    after(async () => {
      await admin?.stop().catch(() => undefined);
      await attached.destroy();
    });

    const execute = (client: TestClient, ...children: Element[]) =>
      client.iq(xml("iq", { type: "set", to: server.componentDomain }, xml("command", { xmlns: CMD, node: "urn:xmpp:invite#create-account" }, ...children)));

    it("mid-command: nothing is half-written, Porter reconnects by itself and the command works again", async () => {
      admin = await connectClient(server, ADMIN.username, ADMIN.password);
      const before = useRecords(database).size;
      const form = await execute(admin);
      const sessionid = form.getChild("command", CMD)?.attrs.sessionid as string | undefined;
      assert.ok(sessionid, form.toString());

      await server.signal("SIGKILL");
      await porter.waitForHealth(503);
      const lost = await porter.waitForLog((line) => line.msg === "component stream lost; reconnecting");
      assert.equal(useRecords(database).size, before, "the unfinished command created no invite");

      await server.start();
      await porter.waitForHealth(200, 60_000);
      await porter.waitForLog((line) => line.msg.startsWith("component stream online") && porter.lines.indexOf(line) > porter.lines.indexOf(lost));
      await server.register(LATER_ADMIN.username, LATER_ADMIN.password);
      admin = await connectClient(server, LATER_ADMIN.username, LATER_ADMIN.password);
      const done = await execute(admin, xml("x", { xmlns: "jabber:x:data", type: "submit" }, xml("field", { var: "uses" }, xml("value", {}, "1"))));
      assert.equal(done.getChild("command", CMD)?.attrs.status, "completed", done.toString());
      assert.equal(useRecords(database).size, before + 1);
    });

    it("while the server is down: the form says to try later and the invite stays whole", async () => {
      const invite = createInviteLink(porter.env);
      await server.signal("SIGKILL");
      try {
        await porter.waitForHealth(503);
        const answer = await submitInviteForm(invite.link, "during-outage", INVITEE_PASSWORD);
        assert.equal(answer.status, 503, answer.page);
        assert.match(answer.page, /still valid/);
        assert.deepEqual(useRecords(database).get(invite.id), { uses: 0, completed: 0, pending: 0 });
      } finally {
        await server.start();
        await porter.waitForHealth(200, 60_000);
      }
      const again = await submitInviteForm(invite.link, "during-outage", INVITEE_PASSWORD);
      assert.equal(again.status, 200, again.page);
      assert.equal(await canLogIn(server, "during-outage", INVITEE_PASSWORD), true);
    });

    it("mid-redemption: the use is held, then given back once the server says no account was made", async () => {
      const invite = createInviteLink(porter.env);
      // Frozen, the server keeps the connection open but never reads the admin command.
      await server.signal("SIGSTOP");
      let killed = false;
      try {
        const answering = submitInviteForm(invite.link, "interrupted", INVITEE_PASSWORD);
        await until(() => pendingCount(database) === 1, "holding the use");
        await server.signal("SIGKILL");
        killed = true;
        const answer = await answering;
        assert.equal(answer.status, 503, answer.page);
        assert.match(answer.page, /Not confirmed yet/);
        assert.match(answer.page, new RegExp(`interrupted@${server.host}`));
        assert.deepEqual(useRecords(database).get(invite.id), { uses: 1, completed: 0, pending: 1 }, "held while nobody knows");
      } finally {
        if (!killed) await server.signal("SIGCONT");
        await server.start();
      }
      await porter.waitForHealth(200, 60_000);
      await waitUntilNothingHeld(database);
      await porter.waitForLog((line) => line.msg.startsWith("settled an interrupted redemption: no account was created"));
      assert.deepEqual(useRecords(database).get(invite.id), { uses: 0, completed: 0, pending: 0 });
      assert.equal(await canLogIn(server, "interrupted", INVITEE_PASSWORD), false);

      const again = await submitInviteForm(invite.link, "interrupted", INVITEE_PASSWORD);
      assert.equal(again.status, 200, again.page);
      assert.equal(await canLogIn(server, "interrupted", INVITEE_PASSWORD), true);
      assert.deepEqual(useRecords(database).get(invite.id), { uses: 1, completed: 1, pending: 0 });
    });

    it("logs no password or invite token through all of it", () => {
      const output = porter.output();
      assert.ok(!output.includes(INVITEE_PASSWORD));
      assert.ok(!/\/invite\/[A-Za-z0-9_-]{20,}/.test(output), "no invite link in the log");
    });
  });
}

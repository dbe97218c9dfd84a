import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import xml from "@xmpp/xml";

import { freePort } from "../../harness/ports.js";
import { startServer } from "../../harness/index.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { App } from "../../src/app.js";
import { configSchema } from "../../src/config/schema.js";
import { capturingLogger } from "../support/logs.js";
import { tempDir } from "../support/temp.js";

const CMD = "http://jabber.org/protocol/commands";
const ALICE = { username: "alice", password: "alice-password" };

for (const { kind, release, label } of SERVERS) {
  describe(`notices and sessions through real ${label}`, () => {
    let server: XmppServer;
    let app: App;
    let alice: TestClient;

    before(async () => {
      server = await startServer(kind, { release, users: [ALICE] });
      const config = configSchema.parse({
        xmpp: { service: server.componentService, domain: server.componentDomain, secret: server.componentSecret, host: server.host },
        http: { listen: `127.0.0.1:${await freePort()}`, public_url: "https://invite.example.com" },
        database: { path: join(tempDir(), "porter.sqlite") },
      });
      // In process, so the test can complete a redemption the way the web flow will.
      app = new App({ config, log: capturingLogger().log });
      await app.start();
      await app.xmpp.connection.waitOnline();
      alice = await connectClient(server, ALICE.username, ALICE.password);
    });

    after(async () => {
      await alice.stop().catch(() => undefined);
      await app.stop();
      await server.destroy();
    });

    const execute = (attrs: Record<string, string>) =>
      alice.iq(xml("iq", { type: "set", to: server.componentDomain }, xml("command", { xmlns: CMD, ...attrs })));

    it("tells the inviter, by a message through the server, who joined with their invite", async () => {
      const reply = await execute({ node: "urn:xmpp:invite#invite", action: "execute" });
      const uri =
        reply
          .getChild("command", CMD)
          ?.getChild("x", "jabber:x:data")
          ?.getChildren("field")
          .find((f) => f.attrs.var === "uri")
          ?.getChildText("value") ?? "";
      const token = /preauth=([A-Za-z0-9_-]+)/.exec(uri)?.[1];
      assert.ok(token, reply.toString());
      const notice = alice.nextMessage((message) => message.attrs.from === server.componentDomain);
      app.invites.complete(app.invites.reserve(token, "newbie", "register"));
      const message = await notice;
      assert.equal(message.attrs.type, "chat");
      assert.match(message.getChildText("body") ?? "", new RegExp(`^newbie@${server.host} has joined using your invite #\\d+\\.$`));
    });

    it("keeps interleaved sessions apart and cancels one without touching the other", async () => {
      await execute({ node: "urn:xmpp:invite#invite", action: "execute" });
      const first = await execute({ node: "urn:xmpp:porter:invites#revoke", action: "execute" });
      const second = await execute({ node: "urn:xmpp:porter:invites#revoke", action: "execute" });
      const firstId = first.getChild("command", CMD)?.attrs.sessionid as string;
      const secondId = second.getChild("command", CMD)?.attrs.sessionid as string;
      assert.equal(first.getChild("command", CMD)?.attrs.status, "executing", first.toString());
      assert.ok(firstId && secondId && firstId !== secondId, `${first.toString()}\n${second.toString()}`);
      const canceled = await execute({ node: "urn:xmpp:porter:invites#revoke", sessionid: firstId, action: "cancel" });
      assert.equal(canceled.getChild("command", CMD)?.attrs.status, "canceled");
      const option = second.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChild("field")?.getChild("option")?.getChildText("value") ?? "";
      const done = await alice.iq(
        xml(
          "iq",
          { type: "set", to: server.componentDomain },
          xml(
            "command",
            { xmlns: CMD, node: "urn:xmpp:porter:invites#revoke", sessionid: secondId, action: "complete" },
            xml("x", { xmlns: "jabber:x:data", type: "submit" }, xml("field", { var: "invite" }, xml("value", {}, option))),
          ),
        ),
      );
      assert.equal(done.getChild("command", CMD)?.attrs.status, "completed", done.toString());
      const stale = await execute({ node: "urn:xmpp:porter:invites#revoke", sessionid: firstId, action: "complete" });
      assert.equal(stale.attrs.type, "error");
      assert.ok(stale.getChild("error")?.getChild("bad-sessionid", CMD));
    });
  });
}

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import xml, { type Element } from "@xmpp/xml";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { startServer } from "../../harness/index.js";
import { PorterProcess } from "../../harness/porter-process.js";
import { preAuthRegisterQuery } from "../../harness/pre-auth-register.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn, connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { errorCondition } from "../support/xml.js";

const REG = "jabber:iq:register";

for (const { kind, release, label } of SERVERS) {
  describe(`in-band registration on Porter's JID through real ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let porter: PorterProcess;
    let bot: TestClient;
    let visitor: TestClient;

    before(async () => {
      attached = await startServerWithPorter(
        kind,
        {
          release,
          users: [
            { username: "bot", password: "bot-password" },
            { username: "visitor", password: "visitor-password" },
          ],
        },
        (started) => ({ PORTER_REGISTER_REDIRECT_WHITELIST: `bot@${started.host}` }),
      );
      ({ server, porter } = attached);
      bot = await connectClient(server, "bot", "bot-password");
      visitor = await connectClient(server, "visitor", "visitor-password");
    });

    after(async () => {
      await bot.stop().catch(() => undefined);
      await visitor.stop().catch(() => undefined);
      await attached.destroy();
    });

    const ask = (client: TestClient, type: "get" | "set", ...children: Element[]) =>
      client.iq(xml("iq", { type, to: server.componentDomain }, xml("query", { xmlns: REG }, ...children)));

    it("tells requesters off the allow-list where to register: instructions, OOB URL and a form", async () => {
      const reply = await ask(visitor, "get");
      const query = reply.getChild("query", REG);
      assert.ok(query, reply.toString());
      const url = `${porter.baseUrl}/register`;
      assert.equal(query.getChildText("instructions"), `Please visit ${url} to register an account on ${server.host}.`);
      assert.equal(query.getChild("x", "jabber:x:oob")?.getChildText("url"), url);
      assert.equal(query.getChild("x", "jabber:x:data")?.getChild("field", undefined)?.getChildText("value"), REG);
      assert.equal(query.getChild("username"), undefined);
    });

    it("refuses their registrations with not-allowed and the URL", async () => {
      const reply = await ask(visitor, "set", xml("username", {}, "sneaky"), xml("password", {}, "sneaky-Pass-1"));
      assert.equal(errorCondition(reply), "not-allowed");
      assert.match(reply.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? "", new RegExp(`${porter.baseUrl}/register`));
      assert.equal(await canLogIn(server, "sneaky", "sneaky-Pass-1"), false);
    });

    it("gives allow-listed requesters the fields and creates the account they register", async () => {
      const form = await ask(bot, "get");
      const query = form.getChild("query", REG);
      assert.ok(query?.getChild("username") && query.getChild("password"), form.toString());
      const done = await ask(bot, "set", xml("username", {}, "botmade"), xml("password", {}, "made-Pass-2"));
      assert.equal(done.attrs.type, "result", done.toString());
      assert.equal(await canLogIn(server, "botmade", "made-Pass-2"), true);
    });

    it("accepts a submitted data form too", async () => {
      const submitted = xml(
        "x",
        { xmlns: "jabber:x:data", type: "submit" },
        xml("field", { var: "FORM_TYPE" }, xml("value", {}, REG)),
        xml("field", { var: "username" }, xml("value", {}, "formmade")),
        xml("field", { var: "password" }, xml("value", {}, "form-Pass-3")),
      );
      const done = await ask(bot, "set", submitted);
      assert.equal(done.attrs.type, "result", done.toString());
      assert.equal(await canLogIn(server, "formmade", "form-Pass-3"), true);
    });

    it("answers a taken username with conflict, and bad or missing fields with the protocol's errors", async () => {
      const taken = await ask(bot, "set", xml("username", {}, "visitor"), xml("password", {}, "other-Pass-4"));
      assert.equal(errorCondition(taken), "conflict");
      assert.equal(await canLogIn(server, "visitor", "visitor-password"), true);
      const missing = await ask(bot, "set", xml("username", {}, "nopassword"));
      assert.equal(errorCondition(missing), "bad-request");
      const invalid = await ask(bot, "set", xml("username", {}, "Bad Name!"), xml("password", {}, "fine-Pass-5"));
      assert.equal(errorCondition(invalid), "not-acceptable");
      const weak = await ask(bot, "set", xml("username", {}, "weakling"), xml("password", {}, "short"));
      assert.equal(errorCondition(weak), "not-acceptable");
      const remove = await ask(bot, "set", xml("remove"));
      assert.equal(errorCondition(remove), "not-allowed");
    });

    it("advertises jabber:iq:register in disco", async () => {
      const info = await visitor.iq(xml("iq", { type: "get", to: server.componentDomain }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
      const features =
        info
          .getChild("query")
          ?.getChildren("feature")
          .map((feature) => String(feature.attrs.var)) ?? [];
      assert.ok(features.includes(REG));
    });
  });

  describe(`the server's own registration sends people to Porter on ${label}`, () => {
    let server: XmppServer;

    before(async () => {
      server = await startServer(kind, { release, registerRedirectUrl: "https://invite.example.com/register" });
    });

    after(async () => {
      await server.destroy();
    });

    it("answers an unauthenticated registration query with Porter's URL", async () => {
      const reply = await preAuthRegisterQuery(server);
      assert.match(reply, /https:\/\/invite\.example\.com\/register/, reply);
    });
  });
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Metrics } from "../../../src/metrics/metrics.js";
import { buildXmppService } from "../../../src/xmpp/component-service.js";
import { testConfig } from "../../support/config.js";
import { testInvites } from "../../support/invites.js";
import { capturingLogger } from "../../support/logs.js";
import { StanzaExchange } from "../../support/stanza-exchange.js";
import { errorCondition } from "../../support/xml.js";

const TO = "invite.example.com";

function exchange(registerRedirect: Record<string, unknown>) {
  const config = testConfig({ register_redirect: registerRedirect });
  const service = buildXmppService({ config, log: capturingLogger().log, metrics: new Metrics(), version: "t", invites: testInvites(config).service });
  return new StanzaExchange(service.connection);
}

const get = (from: string) => `<iq type="get" id="g" from="${from}" to="${TO}"><query xmlns="jabber:iq:register"/></iq>`;
const set = (from: string, body: string) => `<iq type="set" id="s" from="${from}" to="${TO}"><query xmlns="jabber:iq:register">${body}</query></iq>`;

describe("XEP-0077 on Porter's JID, stanza in and stanza out", () => {
  it("uses the configured URL and text, and leaves out the OOB URL when told", async () => {
    const stream = exchange({ url: "https://signup.example.com/join", text: "Ask at the front desk.", oob: false });
    const reply = await stream.exchange(get("alice@example.com/x"));
    const query = reply.getChild("query", "jabber:iq:register");
    assert.equal(query?.getChildText("instructions"), "Ask at the front desk.");
    assert.equal(query?.getChild("x", "jabber:x:oob"), undefined);
    assert.match(query?.getChild("x", "jabber:x:data")?.toString() ?? "", /https:\/\/signup\.example\.com\/join/);
  });

  it("lets whole domains through the allow-list, and nobody with no_whitelist", async () => {
    const open = exchange({ whitelist: ["bots.example.com"] });
    const form = await open.exchange(get("robot@bots.example.com/r"));
    assert.ok(form.getChild("query")?.getChild("username"));
    const closed = exchange({ whitelist: ["bots.example.com"], no_whitelist: true });
    const redirect = await closed.exchange(get("robot@bots.example.com/r"));
    assert.equal(redirect.getChild("query")?.getChild("username"), undefined);
    const refused = await closed.exchange(set("robot@bots.example.com/r", "<username>a</username><password>b-Password-1</password>"));
    assert.equal(errorCondition(refused), "not-allowed");
  });

  it("answers an allowed registration with resource-constraint while the server is not connected", async () => {
    const stream = exchange({ whitelist: ["example.com"] });
    const reply = await stream.exchange(set("alice@example.com/x", "<username>newbie</username><password>fine-Password-2</password>"));
    assert.equal(errorCondition(reply), "resource-constraint");
    assert.equal(reply.getChild("error")?.attrs.type, "wait");
  });

  it("refuses forms of the wrong type and repeated fields with bad-request", async () => {
    const stream = exchange({ whitelist: ["example.com"] });
    const wrongType = await stream.exchange(
      set("alice@example.com/x", `<x xmlns="jabber:x:data" type="submit"><field var="FORM_TYPE"><value>urn:other</value></field></x>`),
    );
    assert.equal(errorCondition(wrongType), "bad-request");
    const repeated = await stream.exchange(
      set("alice@example.com/x", `<x xmlns="jabber:x:data" type="submit"><field var="username"><value>a</value></field><field var="username"><value>b</value></field></x>`),
    );
    assert.equal(errorCondition(repeated), "bad-request");
  });
});

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import xml from "@xmpp/xml";

import type { XmppService } from "../../../src/app.js";
import { StanzaError } from "../../../src/xmpp/stanza-error.js";
import { capturingLogger } from "../../support/logs.js";
import { StanzaExchange } from "../../support/stanza-exchange.js";
import { testXmpp } from "../../support/xmpp.js";
import { errorCondition } from "../../support/xml.js";
import { testConfig } from "../../support/config.js";

const FROM = "alice@example.com/phone";
const TO = "invite.example.com";

describe("Porter's XMPP edge, stanza in and stanza out", () => {
  let service: XmppService;
  let stream: StanzaExchange;
  const logs = capturingLogger();

  before(() => {
    const config = testConfig();
    service = testXmpp(config, { log: logs.log, version: "1.2.3" });
    stream = new StanzaExchange(service.connection);
    service.router.get("urn:test", "boom", () => {
      throw new Error("database exploded at /secret/path");
    });
    service.router.get("urn:test", "refuse", () => {
      throw new StanzaError("not-allowed", "cancel", "no, thank you");
    });
    service.router.get("urn:test", "echo", ({ payload }) => xml("echo", { xmlns: "urn:test" }, payload.text()));
  });

  it("answers disco#info with its identity and the features it implements", async () => {
    const reply = await stream.exchange(`<iq type="get" id="d1" from="${FROM}" to="${TO}"><query xmlns="http://jabber.org/protocol/disco#info"/></iq>`);
    assert.equal(reply.attrs.type, "result");
    assert.equal(reply.attrs.id, "d1");
    assert.equal(reply.attrs.to, FROM);
    assert.equal(reply.attrs.from, TO);
    const query = reply.getChild("query", "http://jabber.org/protocol/disco#info");
    assert.ok(query);
    assert.deepEqual(query.getChild("identity")?.attrs, { category: "component", type: "generic", name: "Porter" });
    const features = query.getChildren("feature").map((feature) => feature.attrs.var as string);
    for (const ns of ["http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "urn:xmpp:ping", "jabber:iq:version"]) {
      assert.ok(features.includes(ns), `advertises ${ns}`);
    }
    assert.equal(query.attrs.node, undefined);
  });

  it("answers disco#items with an empty list, and item-not-found for an unknown node", async () => {
    const items = await stream.exchange(`<iq type="get" id="d2" from="${FROM}" to="${TO}"><query xmlns="http://jabber.org/protocol/disco#items"/></iq>`);
    assert.equal(items.attrs.type, "result");
    assert.equal(items.getChild("query")?.getChildElements().length, 0);
    const unknown = await stream.exchange(
      `<iq type="get" id="d3" from="${FROM}" to="${TO}"><query xmlns="http://jabber.org/protocol/disco#info" node="nope"/></iq>`,
    );
    assert.equal(unknown.attrs.type, "error");
    assert.equal(errorCondition(unknown), "item-not-found");
  });

  it("answers a ping with an empty result", async () => {
    const reply = await stream.exchange(`<iq type="get" id="p1" from="${FROM}" to="${TO}"><ping xmlns="urn:xmpp:ping"/></iq>`);
    assert.equal(reply.attrs.type, "result");
    assert.equal(reply.getChildElements().length, 0);
  });

  it("answers a version query with name and version but no operating system", async () => {
    const reply = await stream.exchange(`<iq type="get" id="v1" from="${FROM}" to="${TO}"><query xmlns="jabber:iq:version"/></iq>`);
    const query = reply.getChild("query", "jabber:iq:version");
    assert.ok(query);
    assert.equal(query.getChildText("name"), "Porter");
    assert.equal(query.getChildText("version"), "1.2.3");
    assert.equal(query.getChild("os"), undefined);
  });

  it("answers an IQ nobody handles with service-unavailable", async () => {
    const get = await stream.exchange(`<iq type="get" id="u1" from="${FROM}" to="${TO}"><query xmlns="urn:unknown"/></iq>`);
    assert.equal(errorCondition(get), "service-unavailable");
    const set = await stream.exchange(`<iq type="set" id="u2" from="${FROM}" to="${TO}"><ping xmlns="urn:xmpp:ping"/></iq>`);
    assert.equal(errorCondition(set), "service-unavailable");
  });

  it("answers malformed IQs with bad-request", async () => {
    const empty = await stream.exchange(`<iq type="get" id="m1" from="${FROM}" to="${TO}"/>`);
    assert.equal(errorCondition(empty), "bad-request");
    const two = await stream.exchange(`<iq type="get" id="m2" from="${FROM}" to="${TO}"><ping xmlns="urn:xmpp:ping"/><ping xmlns="urn:xmpp:ping"/></iq>`);
    assert.equal(errorCondition(two), "bad-request");
    const badType = await stream.exchange(`<iq type="fetch" id="m3" from="${FROM}" to="${TO}"><ping xmlns="urn:xmpp:ping"/></iq>`);
    assert.equal(errorCondition(badType), "bad-request");
  });

  it("drops a stanza whose address is not a JID, with a warning, and keeps serving", async () => {
    for (const from of ["/x", "a@/r", "@/r"]) {
      stream.receive(`<iq type="get" id="bad" from="${from}" to="${TO}"><ping xmlns="urn:xmpp:ping"/></iq>`);
      assert.deepEqual((await stream.writtenBeforePong(FROM, TO)).map(String), [], from);
    }
    assert.equal(logs.lines().filter((line) => line.msg === "dropped a stanza that could not be processed").length, 3);
    const reply = await stream.exchange(`<iq type="get" id="after" from="${FROM}" to="${TO}"><ping xmlns="urn:xmpp:ping"/></iq>`);
    assert.equal(reply.attrs.type, "result");
  });

  it("never answers result or error IQs, nor messages and presences", async () => {
    stream.receive(`<iq type="result" id="r1" from="${FROM}" to="${TO}"/>`);
    stream.receive(
      `<iq type="error" id="r2" from="${FROM}" to="${TO}"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`,
    );
    stream.receive(`<message from="${FROM}" to="${TO}"><body>hi</body></message>`);
    stream.receive(`<presence from="${FROM}" to="${TO}"/>`);
    assert.deepEqual((await stream.writtenBeforePong(FROM, TO)).map(String), []);
  });

  it("returns a handler's StanzaError with its text, and hides unexpected failures behind internal-server-error", async () => {
    const refused = await stream.exchange(`<iq type="get" id="e1" from="${FROM}" to="${TO}"><refuse xmlns="urn:test"/></iq>`);
    assert.equal(errorCondition(refused), "not-allowed");
    assert.equal(refused.getChild("error")?.attrs.type, "cancel");
    assert.equal(refused.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas"), "no, thank you");
    const crashed = await stream.exchange(`<iq type="get" id="e2" from="${FROM}" to="${TO}"><boom xmlns="urn:test"/></iq>`);
    assert.equal(errorCondition(crashed), "internal-server-error");
    assert.ok(!crashed.toString().includes("/secret/path"), "internal details stay in the log");
    assert.ok(logs.text().includes("database exploded"), "and they are in the log");
  });

  it("puts the handler's element in the reply (one ltx shared by both @xmpp/xml versions)", async () => {
    const reply = await stream.exchange(`<iq type="get" id="x1" from="${FROM}" to="${TO}"><echo xmlns="urn:test">hello</echo></iq>`);
    assert.equal(reply.attrs.type, "result");
    assert.equal(reply.getChildText("echo", "urn:test"), "hello");
  });
});

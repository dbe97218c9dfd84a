import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import xml, { type Element } from "@xmpp/xml";
import fc from "fast-check";

import { ClientRegistry } from "../../src/oauth2/client-registry.js";
import { openDatabase } from "../../src/store/database.js";
import { SqliteRevokedClients } from "../../src/store/revoked-client-store.js";
import { testConfig } from "../support/config.js";
import { testInvites } from "../support/invites.js";
import { capturingLogger } from "../support/logs.js";
import { StanzaExchange } from "../support/stanza-exchange.js";
import { testXmpp } from "../support/xmpp.js";
import { errorCondition } from "../support/xml.js";

/*
 * Hostile stanzas, generated: whatever reaches Porter's JID, every IQ get or
 * set gets exactly one answer, a result or a stanza error other than
 * internal-server-error, and nothing else is ever answered.
 */

const TO = "invite.example.com";
/** Sends the pings whose pongs show that nothing else was written before them. */
const PINGER = "alice@example.com/pinger";
const CMD = "http://jabber.org/protocol/commands";
const NODES = [
  "urn:xmpp:invite#invite",
  "urn:xmpp:invite#create-account",
  "urn:xmpp:porter:invites#list",
  "urn:xmpp:porter:invites#revoke",
  "urn:xmpp:porter:invites#reset",
  "urn:uuid:ff0d55ed-2187-4ee0-820a-ab633a911c14#create",
  "urn:xmpp:porter:oauth2#revoke",
];
const FIELD_NAMES = ["username", "ttl", "uses", "note", "roster", "invite", "client_name", "client_uri", "redirect_uri", "client_id", "password", "FORM_TYPE"];
export const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", " ", "0", "1", "true", "-1", "99999999999", "unlimited", "7d", "∞", "ünïcödé 😀", "https://app.example/", "com.x.y:/cb"),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1025, max: 20_000 }).map((n) => "x".repeat(n)) },
);

// Addresses as a server stamps them: valid JIDs (a malformed one is dropped before any handler; a unit test covers it).
const requester = fc.oneof(
  fc.constantFrom("admin@example.com/laptop", "alice@example.com/phone", "eve@evil.example/x", "example.com", "evil.example", "a@b", "admin@example.com"),
  fc.stringMatching(/^[a-z0-9._-]{1,30}$/).map((local) => `${local}@example.com/r`),
  fc.integer({ min: 1000, max: 5000 }).map((n) => `${"a".repeat(n)}@example.com/r`),
);

const field = fc.record({
  var: fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 10 })),
  type: fc.option(fc.constantFrom("text-single", "text-multi", "boolean", "list-single", "jid-single", "hidden", "bogus")),
  values: fc.array(text, { maxLength: 4 }),
});

const form = fc
  .record({ type: fc.constantFrom("submit", "form", "cancel", "result", "bogus"), fields: fc.array(field, { maxLength: 12 }) })
  .map(({ type, fields }) =>
    xml(
      "x",
      { xmlns: "jabber:x:data", type },
      ...fields.map((f) => xml("field", { var: f.var, ...(f.type === null ? {} : { type: f.type }) }, ...f.values.map((value) => xml("value", {}, value)))),
    ),
  );

function nested(depth: number): Element {
  let element = xml("leaf", {});
  for (let i = 0; i < depth; i++) element = xml("n", { xmlns: `urn:x:${i % 3}` }, element);
  return element;
}

const payload: fc.Arbitrary<Element> = fc.oneof(
  fc
    .record({
      node: fc.oneof(fc.constantFrom(...NODES), text),
      action: fc.option(fc.constantFrom("execute", "next", "prev", "complete", "cancel", "bogus")),
      sessionid: fc.option(text),
      children: fc.array(fc.oneof(form, fc.constant(xml("actions", {}))), { maxLength: 2 }),
    })
    .map(({ node, action, sessionid, children }) =>
      xml("command", { xmlns: CMD, node, ...(action === null ? {} : { action }), ...(sessionid === null ? {} : { sessionid }) }, ...children),
    ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom("username", "password", "email", "remove").map((name) => xml(name, {})),
        form,
      ),
      { maxLength: 4 },
    )
    .map((children) => xml("query", { xmlns: "jabber:iq:register" }, ...children)),
  fc
    .record({
      ns: fc.constantFrom("http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items"),
      node: fc.option(fc.oneof(fc.constantFrom(CMD, ...NODES), text)),
    })
    .map(({ ns, node }) => xml("query", { xmlns: ns, ...(node === null ? {} : { node }) })),
  fc.constantFrom(xml("ping", { xmlns: "urn:xmpp:ping" }), xml("query", { xmlns: "jabber:iq:version" }), xml("vCard", { xmlns: "vcard-temp" })),
  fc.integer({ min: 1, max: 200 }).map(nested),
  fc.record({ name: fc.stringMatching(/^[a-z]{1,12}$/), ns: fc.string({ maxLength: 30 }) }).map(({ name, ns }) => xml(name, { xmlns: ns }, "text")),
);

export const iqArbitrary = fc.record({
  type: fc.constantFrom("get", "set"),
  from: requester,
  payloads: fc.oneof({ weight: 8, arbitrary: payload.map((p) => [p]) }, { weight: 1, arbitrary: fc.array(payload, { maxLength: 3 }) }),
});

describe("hostile stanzas (property-based)", () => {
  let stream: StanzaExchange;
  let logs: ReturnType<typeof capturingLogger>;
  let count = 0;

  before(() => {
    const config = testConfig({ oauth2: { registration_key: "k".repeat(40) } });
    logs = capturingLogger("info");
    const invites = testInvites(config);
    const oauth2 = new ClientRegistry({ keys: ["k".repeat(40)], host: "example.com", ttl: null, denylist: new SqliteRevokedClients(openDatabase(":memory:")) });
    const service = testXmpp(config, { log: logs.log, access: invites.access, invites: invites.service, oauth2 });
    stream = new StanzaExchange(service.connection);
  });

  it(`answers every IQ get/set once, with a result or a proper stanza error (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(iqArbitrary, async ({ type, from, payloads }) => {
        count += 1;
        const id = `fuzz-${count}`;
        const reply = await stream.exchange(xml("iq", { type, id, from, to: TO }, ...payloads).toString());
        assert.equal(reply.name, "iq");
        assert.equal(reply.attrs.id, id);
        assert.ok(reply.attrs.type === "result" || reply.attrs.type === "error", reply.toString().slice(0, 300));
        if (reply.attrs.type === "error") {
          const condition = errorCondition(reply);
          assert.ok(condition !== undefined && condition !== "internal-server-error", reply.toString().slice(0, 300));
        }
        assert.deepEqual((await stream.writtenBeforePong(PINGER, TO)).map(String), [], "a single answer");
      }),
      { numRuns: RUNS },
    );
    assert.deepEqual(
      logs.lines().filter((line) => (line.level as number) >= 50),
      [],
      "no handler failed",
    );
  });

  it(`never answers results, errors, messages or presences (${RUNS} cases)`, async () => {
    const stanza = fc.oneof(
      fc
        .record({ type: fc.constantFrom("result", "error"), from: requester, payloads: fc.array(payload, { maxLength: 2 }) })
        .map(({ type, from, payloads }) => xml("iq", { type, id: "x", from, to: TO }, ...payloads)),
      fc
        .record({ name: fc.constantFrom("message", "presence"), from: requester, body: fc.array(payload, { maxLength: 2 }) })
        .map(({ name, from, body }) => xml(name, { from, to: TO }, ...body)),
    );
    await fc.assert(
      fc.asyncProperty(stanza, async (element) => {
        stream.receive(element.toString());
        assert.deepEqual((await stream.writtenBeforePong(PINGER, TO)).map(String), [], element.toString().slice(0, 300));
      }),
      { numRuns: RUNS },
    );
  });

  it(`keeps multi-step commands sound whatever is submitted (${RUNS} cases)`, async () => {
    const start = (from: string, node: string) =>
      stream.exchange(xml("iq", { type: "set", id: "start", from, to: TO }, xml("command", { xmlns: CMD, node, action: "execute" })).toString());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NODES), form, fc.constantFrom("execute", "next", "complete", "prev", "cancel"), async (node, submitted, action) => {
        const from = "admin@example.com/laptop";
        const first = await start(from, node);
        const sessionid = first.getChild("command", CMD)?.attrs.sessionid as string | undefined;
        if (sessionid === undefined) return;
        const reply = await stream.exchange(
          xml("iq", { type: "set", id: "step", from, to: TO }, xml("command", { xmlns: CMD, node, sessionid, action }, submitted)).toString(),
        );
        assert.equal(reply.attrs.id, "step");
        if (reply.attrs.type === "error") assert.notEqual(errorCondition(reply), "internal-server-error", reply.toString().slice(0, 300));
        else assert.equal(reply.attrs.type, "result");
        if (reply.getChild("command", CMD)?.attrs.status === "executing") {
          await stream.exchange(
            xml("iq", { type: "set", id: "end", from, to: TO }, xml("command", { xmlns: CMD, node, sessionid, action: "cancel" })).toString(),
          );
        }
      }),
      { numRuns: RUNS },
    );
  });
});

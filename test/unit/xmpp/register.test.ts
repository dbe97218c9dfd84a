import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { testConfig } from "../../support/config.js";
import { testInvites } from "../../support/invites.js";
import { StanzaExchange } from "../../support/stanza-exchange.js";
import { testXmpp } from "../../support/xmpp.js";
import { errorCondition } from "../../support/xml.js";

const TO = "invite.example.com";

function exchange(registerRedirect: Record<string, unknown>, http: Record<string, unknown> = {}) {
  const config = testConfig({ register_redirect: registerRedirect, http: { listen: "127.0.0.1:0", public_url: "https://invite.example.com", ...http } });
  const service = testXmpp(config);
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

  it("refuses a username an active invite keeps, as a conflict, before asking the server", async () => {
    const config = testConfig({ register_redirect: { whitelist: ["example.com"] } });
    const invites = testInvites(config).service;
    await invites.createAccountInvite({ kind: "cli" }, { username: "kept" });
    const stream = new StanzaExchange(testXmpp(config, { invites }).connection);
    const reply = await stream.exchange(set("alice@example.com/x", "<username>kept</username><password>fine-Password-2</password>"));
    assert.equal(errorCondition(reply), "conflict");
    assert.match(reply.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? "", /kept for someone/);
  });

  it("refuses forms of the wrong type and repeated fields with bad-request", async () => {
    const stream = exchange({ whitelist: ["example.com"] });
    const wrongType = await stream.exchange(
      set("alice@example.com/x", `<x xmlns="jabber:x:data" type="submit"><field var="FORM_TYPE"><value>urn:other</value></field></x>`),
    );
    assert.equal(errorCondition(wrongType), "bad-request");
    const repeated = await stream.exchange(
      set(
        "alice@example.com/x",
        `<x xmlns="jabber:x:data" type="submit"><field var="username"><value>a</value></field><field var="username"><value>b</value></field></x>`,
      ),
    );
    assert.equal(errorCondition(repeated), "bad-request");
  });

  it("counts registrations per allow-list entry with the web forms' limit, then answers policy-violation (wait)", async () => {
    const stream = exchange({ whitelist: ["example.com", "robot@bots.example.net"] }, { form_limit: 2, form_limit_window: "10m" });
    const attempt = (from: string) => stream.exchange(set(from, "<username>newbie</username><password>fine-Password-2</password>"));
    // Mistakes in the form never reach the server and cost nothing.
    for (let i = 0; i < 3; i++) {
      assert.equal(
        errorCondition(await stream.exchange(set("alice@example.com/x", "<username>Bad Name</username><password>fine-Password-2</password>"))),
        "not-acceptable",
      );
    }
    // Not connected to a server: counted attempts end in resource-constraint, refused ones in policy-violation.
    assert.equal(errorCondition(await attempt("alice@example.com/x")), "resource-constraint");
    assert.equal(errorCondition(await attempt("alice@example.com/y")), "resource-constraint");
    const limited = await attempt("alice@example.com/x");
    assert.equal(errorCondition(limited), "policy-violation");
    assert.equal(limited.getChild("error")?.attrs.type, "wait");
    assert.match(limited.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? "", /try again in 10 minutes/);
    // The domain is the entry that let alice in: another of its users shares its count.
    assert.equal(errorCondition(await attempt("bob@example.com/z")), "policy-violation");
    assert.equal(errorCondition(await attempt("robot@bots.example.net/r")), "resource-constraint", "another entry has its own count");
    // Asking for the form is not a registration; it is worded in the stanza's language.
    const german = await stream.exchange(`<iq type="get" id="g" xml:lang="de" from="carol@example.com/c" to="${TO}"><query xmlns="jabber:iq:register"/></iq>`);
    assert.equal(german.getChild("query")?.getChildText("instructions"), "Wähle einen Benutzernamen und ein Passwort für ein neues Konto auf example.com.");
    assert.ok((await stream.exchange(get("carol@example.com/c"))).getChild("query")?.getChild("username"));
  });
});

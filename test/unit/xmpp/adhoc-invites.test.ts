import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import { type Element, escapeXML } from "@xmpp/xml";

import { hashToken } from "../../../src/invites/token.js";
import { testConfig } from "../../support/config.js";
import { requester, testInvites } from "../../support/invites.js";
import { StanzaExchange } from "../../support/stanza-exchange.js";
import { testXmpp } from "../../support/xmpp.js";
import { errorCondition } from "../../support/xml.js";

const TO = "invite.example.com";
const ADMIN = "admin@example.com/laptop";
const USER = "alice@example.com/phone";
const CMD = "http://jabber.org/protocol/commands";

function command(from: string, node: string, attrs = "", body = "", id = "c") {
  return `<iq type="set" id="${id}" from="${from}" to="${TO}"><command xmlns="${CMD}" node="${node}" ${attrs}>${body}</command></iq>`;
}
function submit(fields: Readonly<Record<string, string | readonly string[]>>) {
  const values = (value: string | readonly string[]): readonly string[] => (typeof value === "string" ? [value] : value);
  const inner = Object.entries(fields)
    .map(
      ([name, value]) =>
        `<field var="${name}">${values(value)
          .map((v) => `<value>${escapeXML(v)}</value>`)
          .join("")}</field>`,
    )
    .join("");
  return `<x xmlns="jabber:x:data" type="submit">${inner}</x>`;
}
function resultFields(reply: Element): Record<string, string> {
  const x = reply.getChild("command", CMD)?.getChild("x", "jabber:x:data");
  assert.ok(x, reply.toString());
  return Object.fromEntries(x.getChildren("field").map((field) => [field.attrs.var as string, field.getChildText("value") ?? ""]));
}
function appCondition(reply: Element): string | undefined {
  return reply
    .getChild("error")
    ?.getChildElements()
    .find((child) => child.attrs.xmlns === CMD)?.name;
}

describe("invite commands, stanza in and stanza out", () => {
  let stream: StanzaExchange;
  let invites: ReturnType<typeof testInvites>;

  beforeEach(() => {
    const config = testConfig({ invites: { max_active_per_user: 2, max_created_per_hour: 3 } });
    invites = testInvites(config);
    const service = testXmpp(config, { access: invites.access, invites: invites.service });
    stream = new StanzaExchange(service.connection);
  });

  it("lists only the commands the requester may run", async () => {
    const list = async (from: string) => {
      const reply = await stream.exchange(
        `<iq type="get" id="l" from="${from}" to="${TO}"><query xmlns="http://jabber.org/protocol/disco#items" node="${CMD}"/></iq>`,
      );
      return (
        reply
          .getChild("query")
          ?.getChildren("item")
          .map((item) => item.attrs.node as string) ?? []
      );
    };
    assert.deepEqual(await list(ADMIN), [
      "urn:xmpp:invite#invite",
      "urn:xmpp:invite#create-account",
      "urn:xmpp:porter:invites#list",
      "urn:xmpp:porter:invites#revoke",
      "urn:xmpp:porter:invites#reset",
    ]);
    assert.deepEqual(await list(USER), ["urn:xmpp:invite#invite", "urn:xmpp:porter:invites#list", "urn:xmpp:porter:invites#revoke"]);
    assert.deepEqual(await list("mallory@elsewhere.example/x"), []);
  });

  it("New Invite completes at once with Prosody's fields, and stores only a hash of the token", async () => {
    const reply = await stream.exchange(command(USER, "urn:xmpp:invite#invite", 'action="execute"'));
    assert.equal(reply.attrs.type, "result", reply.toString());
    const cmd = reply.getChild("command", CMD);
    assert.equal(cmd?.attrs.status, "completed");
    assert.equal(cmd?.getChild("x", "jabber:x:data")?.attrs.type, "result");
    const fields = resultFields(reply);
    assert.equal(fields.FORM_TYPE, "urn:xmpp:invite#invitation");
    const token = /preauth=([A-Za-z0-9_-]{36});ibr=y$/.exec(fields.uri ?? "")?.[1];
    assert.ok(token, fields.uri);
    assert.equal(fields.uri, `xmpp:alice@example.com?roster;preauth=${token};ibr=y`);
    assert.equal(fields["landing-url"], `https://invite.example.com/invite/${token}`);
    assert.match(fields.expire ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const rows = invites.db.prepare("SELECT token_hash FROM invites").all() as { token_hash: Buffer }[];
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0]?.token_hash, hashToken(token));
    assert.ok(!JSON.stringify(invites.db.prepare("SELECT * FROM invites").all()).includes(token));
  });

  it("refuses requesters of another domain with forbidden", async () => {
    const reply = await stream.exchange(command("mallory@elsewhere.example/x", "urn:xmpp:invite#invite", 'action="execute"'));
    assert.equal(errorCondition(reply), "forbidden");
    assert.equal(invites.store.list({ activeOnly: false, now: 0 }).length, 0);
  });

  it("refuses admin commands to users with forbidden", async () => {
    for (const node of ["urn:xmpp:invite#create-account", "urn:xmpp:porter:invites#reset"]) {
      const reply = await stream.exchange(command(USER, node, 'action="execute"'));
      assert.equal(errorCondition(reply), "forbidden", node);
    }
  });

  it("Create account invite: form, then a completed result with the chosen options", async () => {
    const form = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", 'action="execute"'));
    const cmd = form.getChild("command", CMD);
    assert.equal(cmd?.attrs.status, "executing");
    const sessionid = cmd?.attrs.sessionid as string;
    assert.ok(sessionid);
    assert.equal(cmd?.getChild("actions")?.attrs.execute, "complete");
    const done = await stream.exchange(
      command(
        ADMIN,
        "urn:xmpp:invite#create-account",
        `sessionid="${sessionid}" action="complete"`,
        submit({ username: "Bob", ttl: "2d", note: "for <Bob> & co", roster: "1" }),
      ),
    );
    assert.equal(done.getChild("command", CMD)?.attrs.status, "completed", done.toString());
    const fields = resultFields(done);
    assert.match(fields.uri ?? "", /^xmpp:bob@example\.com\?register;preauth=[A-Za-z0-9_-]{36}$/);
    const [invite] = invites.store.list({ activeOnly: true, now: invites.clock.now });
    assert.ok(invite?.kind === "account");
    assert.equal(invite.reservedUsername, "bob");
    assert.equal(invite.note, "for <Bob> & co");
    assert.equal(invite.addContact, true);
    assert.equal(invite.maxUses, 1);
    assert.equal(invite.expiresAt - invite.createdAt, 2 * 86_400);
  });

  it("accepts a one-shot execute with the filled form, and unlimited uses", async () => {
    const done = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", 'action="execute"', submit({ uses: "unlimited" })));
    assert.equal(done.getChild("command", CMD)?.attrs.status, "completed", done.toString());
    assert.match(resultFields(done).uri ?? "", /^xmpp:example\.com\?register;preauth=/);
    assert.equal(invites.store.list({ activeOnly: true, now: invites.clock.now })[0]?.maxUses, null);
  });

  it("answers a bad field value with the same form and a note naming the field, and keeps the session", async () => {
    const form = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account"));
    const sessionid = form.getChild("command", CMD)?.attrs.sessionid as string;
    for (const [fields, text] of [
      [{ ttl: "forever" }, /ttl/],
      [{ uses: "-3" }, /uses/],
      [{ username: "no spaces allowed" }, /username/],
      [{ "roster-subscription": "perhaps" }, /roster-subscription/],
      [{ roster: "perhaps" }, /roster-subscription/],
      [{ username: ["a", "b"] }, /single value/],
      [{ username: "x".repeat(70) }, /username/],
    ] as const) {
      const reply = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", `sessionid="${sessionid}" action="complete"`, submit(fields)));
      const again = reply.getChild("command", CMD);
      assert.equal(reply.attrs.type, "result", `${JSON.stringify(fields)}: ${reply.toString()}`);
      assert.equal(again?.attrs.status, "executing");
      assert.equal(again?.attrs.sessionid, sessionid);
      assert.equal(again?.getChild("note")?.attrs.type, "error");
      assert.match(again?.getChildText("note") ?? "", text);
      assert.deepEqual(
        again
          ?.getChild("x", "jabber:x:data")
          ?.getChildren("field")
          .map((field) => field.attrs.var as string),
        form
          .getChild("command", CMD)
          ?.getChild("x", "jabber:x:data")
          ?.getChildren("field")
          .map((field) => field.attrs.var as string),
      );
    }
    const ok = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", `sessionid="${sessionid}" action="complete"`, submit({})));
    assert.equal(ok.getChild("command", CMD)?.attrs.status, "completed");
  });

  it("takes ejabberd's roster-subscription and Porter's earlier roster for the contact option, with no username required", async () => {
    const form = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account"));
    const fields = form.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChildren("field") ?? [];
    assert.equal(fields.find((field) => field.attrs.var === "roster-subscription")?.attrs.type, "boolean");
    assert.equal(fields.find((field) => field.attrs.var === "username")?.getChild("required"), undefined);
    for (const name of ["roster-subscription", "roster"]) {
      const done = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", 'action="execute"', submit({ [name]: "true" })));
      assert.equal(done.getChild("command", CMD)?.attrs.status, "completed", done.toString());
      const [invite] = invites.store.list({ activeOnly: true, now: invites.clock.now });
      assert.ok(invite?.kind === "account", name);
      assert.equal(invite.addContact, true, name);
    }
  });

  it("answers unknown, foreign and malformed sessions and actions with XEP-0050's errors", async () => {
    const node = "urn:xmpp:invite#create-account";
    const unknown = await stream.exchange(command(ADMIN, node, 'sessionid="nope" action="complete"', submit({})));
    assert.equal(errorCondition(unknown), "bad-request");
    assert.equal(appCondition(unknown), "bad-sessionid");
    const form = await stream.exchange(command(ADMIN, node));
    const sessionid = form.getChild("command", CMD)?.attrs.sessionid as string;
    const otherResource = await stream.exchange(command("admin@example.com/other", node, `sessionid="${sessionid}" action="complete"`, submit({})));
    assert.equal(appCondition(otherResource), "bad-sessionid");
    const malformed = await stream.exchange(command(ADMIN, node, `sessionid="${sessionid}" action="jump"`));
    assert.equal(appCondition(malformed), "malformed-action");
    const prev = await stream.exchange(command(ADMIN, node, `sessionid="${sessionid}" action="prev"`));
    assert.equal(appCondition(prev), "bad-action");
    const noForm = await stream.exchange(command(ADMIN, node, `sessionid="${sessionid}" action="complete"`));
    assert.equal(appCondition(noForm), "bad-payload");
    const unknownNode = await stream.exchange(command(ADMIN, "urn:example:nothing"));
    assert.equal(errorCondition(unknownNode), "item-not-found");
  });

  it("cancels a session, after which it is gone", async () => {
    const node = "urn:xmpp:invite#create-account";
    const form = await stream.exchange(command(ADMIN, node));
    const sessionid = form.getChild("command", CMD)?.attrs.sessionid as string;
    const canceled = await stream.exchange(command(ADMIN, node, `sessionid="${sessionid}" action="cancel"`));
    assert.equal(canceled.getChild("command", CMD)?.attrs.status, "canceled");
    const after = await stream.exchange(command(ADMIN, node, `sessionid="${sessionid}" action="complete"`, submit({})));
    assert.equal(appCondition(after), "bad-sessionid");
    assert.equal(invites.store.list({ activeOnly: false, now: 0 }).length, 0);
  });

  it("keeps two interleaved sessions apart", async () => {
    const node = "urn:xmpp:invite#create-account";
    const first = (await stream.exchange(command(ADMIN, node))).getChild("command", CMD)?.attrs.sessionid as string;
    const second = (await stream.exchange(command(ADMIN, node))).getChild("command", CMD)?.attrs.sessionid as string;
    assert.notEqual(first, second);
    await stream.exchange(command(ADMIN, node, `sessionid="${second}" action="complete"`, submit({ note: "second" })));
    await stream.exchange(command(ADMIN, node, `sessionid="${first}" action="complete"`, submit({ note: "first" })));
    const notes = invites.store.list({ activeOnly: true, now: invites.clock.now }).map((invite) => invite.note);
    assert.deepEqual(notes.sort(), ["first", "second"]);
  });

  it("limits users' active invites and their creation rate with resource-constraint", async () => {
    for (let i = 0; i < 2; i++) await stream.exchange(command(USER, "urn:xmpp:invite#invite"));
    const third = await stream.exchange(command(USER, "urn:xmpp:invite#invite"));
    assert.equal(errorCondition(third), "resource-constraint");
    assert.match(third.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? "", /2 active invites/);
    const [newest] = invites.store.list({ activeOnly: true, now: invites.clock.now });
    invites.store.revoke(newest?.id ?? 0, invites.clock.now);
    assert.equal((await stream.exchange(command(USER, "urn:xmpp:invite#invite"))).getChild("command", CMD)?.attrs.status, "completed");
    for (const invite of invites.store.list({ activeOnly: true, now: invites.clock.now })) invites.store.revoke(invite.id, invites.clock.now);
    const rate = await stream.exchange(command(USER, "urn:xmpp:invite#invite"));
    assert.equal(errorCondition(rate), "resource-constraint");
    assert.match(rate.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? "", /last hour/);
    invites.clock.now += 3601;
    assert.equal((await stream.exchange(command(USER, "urn:xmpp:invite#invite"))).getChild("command", CMD)?.attrs.status, "completed");
  });

  it("lists users their own invites and admins all of them", async () => {
    await stream.exchange(command(USER, "urn:xmpp:invite#invite"));
    await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", "", submit({ note: "admin's" })));
    const rows = async (from: string) => {
      const reply = await stream.exchange(command(from, "urn:xmpp:porter:invites#list", "", submit({ show: "all" })));
      const x = reply.getChild("command", CMD)?.getChild("x", "jabber:x:data");
      assert.ok(x, reply.toString());
      assert.ok(x.getChild("reported"), reply.toString());
      return x.getChildren("item").map((item) => Object.fromEntries(item.getChildren("field").map((f) => [f.attrs.var as string, f.getChildText("value")])));
    };
    const mine = await rows(USER);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.kind, "contact");
    assert.equal(mine[0]?.creator, "alice@example.com");
    assert.equal(mine[0]?.status, "active");
    assert.equal(mine[0]?.uses, "0/1");
    const all = await rows(ADMIN);
    assert.deepEqual(all.map((row) => row.kind).sort(), ["account", "contact"]);
  });

  it("revokes only invites the requester may revoke, and says when there are none", async () => {
    await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", "", submit({})));
    const none = await stream.exchange(command(USER, "urn:xmpp:porter:invites#revoke"));
    assert.match(none.getChild("command", CMD)?.getChildText("note") ?? "", /no active invites/);
    const form = await stream.exchange(command(ADMIN, "urn:xmpp:porter:invites#revoke"));
    const cmd = form.getChild("command", CMD);
    const option = cmd?.getChild("x", "jabber:x:data")?.getChild("field")?.getChild("option")?.getChildText("value");
    assert.ok(option);
    const forged = await stream.exchange(
      command(ADMIN, "urn:xmpp:porter:invites#revoke", `sessionid="${cmd?.attrs.sessionid as string}" action="complete"`, submit({ invite: "999" })),
    );
    assert.match(forged.getChild("command", CMD)?.getChildText("note") ?? "", /invite/, forged.toString());
    assert.equal(invites.store.list({ activeOnly: true, now: invites.clock.now }).length, 1);
    const done = await stream.exchange(
      command(ADMIN, "urn:xmpp:porter:invites#revoke", `sessionid="${cmd?.attrs.sessionid as string}" action="complete"`, submit({ invite: option })),
    );
    assert.match(done.getChild("command", CMD)?.getChildText("note") ?? "", /is revoked/);
    assert.equal(invites.store.list({ activeOnly: true, now: invites.clock.now }).length, 0);
  });

  it("lists a page at a time, says how to see the next, and shows the accounts each invite made", async () => {
    for (let n = 0; n < 52; n += 1) {
      await invites.service.createAccountInvite({ kind: "cli" }, { maxUses: 2 });
      invites.clock.now += 1;
    }
    const oldest = invites.service.list({ kind: "cli" }, { offset: 51 }).invites[0] ?? assert.fail();
    const { token } = await invites.service.createAccountInvite({ kind: "cli" });
    invites.service.complete(invites.service.reserve(token, "newcomer", "register"));
    const first = await stream.exchange(command(ADMIN, "urn:xmpp:porter:invites#list", "", submit({ show: "all" })));
    const table = first.getChild("command", CMD)?.getChild("x", "jabber:x:data");
    assert.equal(table?.getChildren("item").length, 50);
    assert.equal(table?.getChildText("title"), "Invites 1 to 50 of 53, newest first");
    assert.match(first.getChild("command", CMD)?.getChildText("note") ?? "", /skip 50/);
    const newest = table
      ?.getChildren("item")[0]
      ?.getChildren("field")
      .find((field) => field.attrs.var === "accounts")
      ?.getChildText("value");
    assert.equal(newest, "newcomer@example.com");
    const rest = await stream.exchange(command(ADMIN, "urn:xmpp:porter:invites#list", "", submit({ show: "all", from: "50" })));
    const items = rest.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChildren("item") ?? [];
    assert.equal(items.length, 3);
    assert.equal(
      items
        .at(-1)
        ?.getChildren("field")
        .find((field) => field.attrs.var === "id")
        ?.getChildText("value"),
      String(oldest.id),
    );
    const activeOnly = await stream.exchange(command(ADMIN, "urn:xmpp:porter:invites#list", "", submit({})));
    assert.equal(activeOnly.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChildText("title"), "Active invites 1 to 50 of 52, newest first");
  });

  it("creates a password reset invite for an account of the host only", async () => {
    const done = await stream.exchange(command(ADMIN, "urn:xmpp:porter:invites#reset", "", submit({ accountjid: "carol@example.com" })));
    assert.match(resultFields(done).uri ?? "", /^xmpp:carol@example\.com\?register;preauth=/);
    for (const fields of [{ accountjid: "carol@elsewhere.example" }, {}]) {
      const refused = await stream.exchange(command(ADMIN, "urn:xmpp:porter:invites#reset", "", submit(fields)));
      assert.equal(refused.getChild("command", CMD)?.attrs.status, "executing", refused.toString());
      assert.match(refused.getChild("command", CMD)?.getChildText("note") ?? "", /account/);
    }
  });

  it("runs the reset command under Prosody 13's node too, without listing it twice", async () => {
    const node = "xmpp:prosody.im/mod_invites_adhoc#password-reset";
    const done = await stream.exchange(command(ADMIN, node, "", submit({ accountjid: "carol@example.com" })));
    assert.match(resultFields(done).uri ?? "", /^xmpp:carol@example\.com\?register;preauth=/);
    const listed = await stream.exchange(
      `<iq type="get" id="l" from="${ADMIN}" to="${TO}"><query xmlns="http://jabber.org/protocol/disco#items" node="${CMD}"/></iq>`,
    );
    assert.equal(
      listed
        .getChild("query")
        ?.getChildren("item")
        .some((item) => item.attrs.node === node),
      false,
    );
    const user = await stream.exchange(command(USER, node, "", submit({ accountjid: "carol@example.com" })));
    assert.equal(errorCondition(user), "forbidden");
  });
});

describe("command sessions under a flood", () => {
  it("caps sessions per resource and per account, and keeps places for admins", async () => {
    const config = testConfig();
    const invites = testInvites(config).service;
    const service = testXmpp(config, {
      invites,
      adhocSessionLimits: { total: 60, adminReserve: 10, perResource: 5, perAccount: 20 },
    });
    // Revoking is the users' command with a form, once they have an invite to revoke.
    for (const user of ["mallory", "eve", "trent"]) await invites.createContactInvite(requester(`${user}@example.com`));
    const stream = new StanzaExchange(service.connection);
    const open = async (from: string, node = "urn:xmpp:porter:invites#revoke") => {
      const reply = await stream.exchange(command(from, node));
      return reply.getChild("command", CMD)?.attrs.status === "executing"
        ? "open"
        : (reply.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? reply.toString());
    };
    const opened = async (from: string, times: number) => {
      const answers = [];
      for (let n = 0; n < times; n += 1) answers.push(await open(from));
      return answers;
    };
    const oneResource = await opened("mallory@example.com/a", 7);
    assert.deepEqual(oneResource.slice(0, 5), ["open", "open", "open", "open", "open"]);
    assert.match(oneResource[5] ?? "", /on this device/);
    let accountAnswers: string[] = [];
    for (const resource of ["b", "c", "d", "e"]) accountAnswers = [...accountAnswers, ...(await opened(`mallory@example.com/${resource}`, 5))];
    assert.equal(accountAnswers.filter((answer) => answer === "open").length, 15, "20 for the account in all");
    assert.match(accountAnswers.at(-1) ?? "", /too many commands in progress; complete/);
    // Two more users fill every place but the admins'.
    assert.equal(
      (await opened("eve@example.com/a", 5))
        .concat(await opened("eve@example.com/b", 5), await opened("eve@example.com/c", 5), await opened("eve@example.com/d", 5))
        .filter((a) => a === "open").length,
      20,
    );
    const trent = (await opened("trent@example.com/a", 5)).concat(await opened("trent@example.com/b", 5), await opened("trent@example.com/c", 1));
    assert.equal(trent.filter((answer) => answer === "open").length, 10);
    assert.match(trent.at(-1) ?? "", /try again later/);
    assert.equal(await open(ADMIN, "urn:xmpp:invite#create-account"), "open");
  });
});

describe("command sessions that expire", () => {
  it("keeps a session alive for its lifetime after each step, then answers session-expired for a while, then bad-sessionid", async () => {
    const ttl = 60_000;
    const clock = { now: 1_800_000_000_000 };
    const config = testConfig();
    const service = testXmpp(config, {
      adhocSessionTtlMs: ttl,
      adhocNow: () => clock.now,
    });
    const stream = new StanzaExchange(service.connection);
    const form = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account"));
    const sessionid = form.getChild("command", CMD)?.attrs.sessionid as string;
    const step = (fields: Readonly<Record<string, string>>) =>
      stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", `sessionid="${sessionid}" action="complete"`, submit(fields)));
    // In its last millisecond the session still answers; a refused value gives the form again and a new lifetime.
    clock.now += ttl - 1;
    const again = await step({ uses: "many" });
    assert.equal(again.getChild("command", CMD)?.attrs.status, "executing", again.toString());
    clock.now += ttl - 1;
    assert.equal((await step({ uses: "many" })).getChild("command", CMD)?.attrs.status, "executing");
    clock.now += ttl;
    const late = await step({});
    assert.equal(errorCondition(late), "not-allowed");
    assert.equal(appCondition(late), "session-expired");
    // An expired session is remembered for one lifetime more, then it is as unknown as one that never existed.
    clock.now += ttl;
    assert.equal(appCondition(await step({})), "bad-sessionid");
    const unknown = await stream.exchange(command(ADMIN, "urn:xmpp:invite#create-account", 'sessionid="never-existed" action="complete"', submit({})));
    assert.equal(appCondition(unknown), "bad-sessionid");
  });
});

describe("notices to an invite's creator", () => {
  it("sends the creator a chat message naming the new account, and nothing for command-line invites", async () => {
    const config = testConfig();
    const invites = testInvites(config);
    const service = testXmpp(config, { access: invites.access, invites: invites.service });
    const stream = new StanzaExchange(service.connection);
    const created = await invites.service.createContactInvite(requester("alice@example.com"), { note: "for Bob" });
    invites.service.complete(invites.service.reserve(created.token, "bob", "register"));
    const message = await stream.next();
    assert.equal(message.name, "message");
    assert.equal(message.attrs.to, "alice@example.com");
    assert.equal(message.attrs.from, TO);
    assert.equal(message.attrs["xml:lang"], "en");
    assert.equal(message.getChildText("body"), `bob@example.com has joined using your invite #${created.invite.id}.\nYour note: for Bob`);
    const fromCli = await invites.service.createAccountInvite({ kind: "cli" });
    invites.service.complete(invites.service.reserve(fromCli.token, "carol", "register"));
    assert.deepEqual((await stream.writtenBeforePong(USER, TO)).map(String), [], "no notice for a command-line invite");
  });
});

describe("words in the requester's language", () => {
  const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
  const ALICE = requester("alice@example.com");
  const setup = async (maxActive: number, defaultLanguage?: string) => {
    const config = testConfig({
      invites: { max_active_per_user: maxActive },
      ...(defaultLanguage === undefined ? {} : { pages: { default_language: defaultLanguage } }),
    });
    const invites = testInvites(config);
    const service = testXmpp(config, { access: invites.access, invites: invites.service });
    const created = await Promise.all(Array.from({ length: maxActive }, async () => invites.service.createContactInvite(ALICE)));
    return { invites, created, stream: new StanzaExchange(service.connection) };
  };
  const newInvite = (stream: StanzaExchange, lang: string | null) =>
    stream.exchange(
      `<iq type="set" id="n"${lang === null ? "" : ` xml:lang="${lang}"`} from="${USER}" to="${TO}"><command xmlns="${CMD}" node="urn:xmpp:invite#invite" action="execute"/></iq>`,
    );
  const refusalText = (reply: Element) => reply.getChild("error")?.getChild("text", STANZAS);

  it("words a refusal in the xml:lang of the stanza, and says which language it is in", async () => {
    const { stream } = await setup(1);
    const german = refusalText(await newInvite(stream, "de-AT"));
    assert.equal(german?.attrs["xml:lang"], "de");
    assert.equal(german?.text(), "Du hast bereits 1 aktive Einladung; widerrufe eine oder warte, bis eine verwendet wird oder abläuft.");
    const brazilian = refusalText(await newInvite(stream, "pt"));
    assert.equal(brazilian?.attrs["xml:lang"], "pt-BR");
    assert.equal(brazilian?.text(), "Você já tem 1 convite ativo; revogue um ou espere até que um seja usado ou expire.");
    const unknown = refusalText(await newInvite(stream, "tlh"));
    assert.equal(unknown?.attrs["xml:lang"], "en");
    assert.equal(unknown?.text(), "You already have 1 active invite; revoke one or wait until one is used or expires.");
  });

  it("falls back to pages.default_language for stanzas without xml:lang", async () => {
    const { stream } = await setup(1, "sv");
    const text = refusalText(await newInvite(stream, null));
    assert.equal(text?.attrs["xml:lang"], "sv");
    assert.equal(text?.text(), "Du har redan 1 aktiv inbjudan; återkalla en eller vänta tills en används eller går ut.");
  });

  it("counts in the language's plural forms", async () => {
    const { stream } = await setup(5);
    assert.equal(
      refusalText(await newInvite(stream, "ru"))?.text(),
      "У вас уже 5 активных приглашений; отзовите одно или дождитесь, пока какое-то будет использовано или истечёт.",
    );
    assert.equal(
      refusalText(await newInvite(stream, "pl"))?.text(),
      "Masz już 5 aktywnych zaproszeń; cofnij jedno albo poczekaj, aż któreś zostanie wykorzystane lub wygaśnie.",
    );
  });

  it("sends a creator's notice in the language the creator last used with Porter", async () => {
    const { stream, invites, created } = await setup(1);
    // Refused or not, the command tells Porter the creator's language.
    await newInvite(stream, "fr");
    const [invite] = created;
    assert.ok(invite);
    invites.service.complete(invites.service.reserve(invite.token, "bob", "register"));
    const message = await stream.next();
    assert.equal(message.attrs["xml:lang"], "fr");
    assert.equal(message.getChildText("body"), `bob@example.com s’est inscrit avec votre invitation nº ${invite.invite.id}.`);
  });
});

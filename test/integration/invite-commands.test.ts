import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import Database from "better-sqlite3";
import xml, { type Element } from "@xmpp/xml";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { runPorter } from "../../harness/porter-cli.js";
import { PorterProcess } from "../../harness/porter-process.js";
import { errorCondition } from "../support/xml.js";

const CMD = "http://jabber.org/protocol/commands";
const ADMIN = { username: "admin", password: "admin-password" };
const ALICE = { username: "alice", password: "alice-password" };

function fieldsOf(reply: Element): Record<string, string> {
  const x = reply.getChild("command", CMD)?.getChild("x", "jabber:x:data");
  assert.ok(x, reply.toString());
  return Object.fromEntries(x.getChildren("field").map((field) => [field.attrs.var as string, field.getChildText("value") ?? ""]));
}

function submitted(values: Record<string, string>): Element {
  return xml(
    "x",
    { xmlns: "jabber:x:data", type: "submit" },
    ...Object.entries(values).map(([name, value]) => xml("field", { var: name }, xml("value", {}, value))),
  );
}

for (const { kind, release, label } of SERVERS) {
  describe(`invite commands from real clients on ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let porter: PorterProcess;
    let admin: TestClient;
    let alice: TestClient;
    let mallory: TestClient;

    before(async () => {
      attached = await startServerWithPorter(kind, { release, users: [ADMIN, ALICE], extraHosts: ["other.localhost"] }, (started) => ({
        PORTER_ADMINS: `admin@${started.host}`,
      }));
      ({ server, porter } = attached);
      await server.register("mallory", "mallory-password", "other.localhost");
      admin = await connectClient(server, ADMIN.username, ADMIN.password);
      alice = await connectClient(server, ALICE.username, ALICE.password);
      mallory = await connectClient(server, "mallory", "mallory-password", { host: "other.localhost" });
    });

    after(async () => {
      await admin.stop().catch(() => undefined);
      await alice.stop().catch(() => undefined);
      await mallory.stop().catch(() => undefined);
      await attached.destroy();
    });

    const execute = (client: TestClient, node: string, attrs: Record<string, string> = {}, ...children: Element[]) =>
      client.iq(xml("iq", { type: "set", to: server.componentDomain }, xml("command", { xmlns: CMD, node, ...attrs }, ...children)));

    const storedInvites = () => {
      const db = new Database(join(porter.dir, "porter.sqlite"), { readonly: true });
      try {
        return db.prepare("SELECT id, kind, creator, username, max_uses, note, revoked_at FROM invites ORDER BY id").all() as {
          id: number;
          kind: string;
          creator: string;
          username: string | null;
          max_uses: number | null;
          note: string | null;
          revoked_at: number | null;
        }[];
      } finally {
        db.close();
      }
    };

    it("lists the commands each requester may run", async () => {
      const nodes = async (client: TestClient) => {
        const reply = await client.iq(
          xml("iq", { type: "get", to: server.componentDomain }, xml("query", { xmlns: "http://jabber.org/protocol/disco#items", node: CMD })),
        );
        return (
          reply
            .getChild("query")
            ?.getChildren("item")
            .map((item) => item.attrs.node as string) ?? []
        );
      };
      assert.equal((await nodes(admin)).length, 5);
      assert.deepEqual(await nodes(alice), ["urn:xmpp:invite#invite", "urn:xmpp:porter:invites#list", "urn:xmpp:porter:invites#revoke"]);
    });

    it("refuses every command to a user of another domain served by the same server", async () => {
      for (const node of ["urn:xmpp:invite#invite", "urn:xmpp:invite#create-account", "urn:xmpp:porter:invites#list"]) {
        const reply = await execute(mallory, node, { action: "execute" });
        assert.equal(errorCondition(reply), "forbidden", `${node}: ${reply.toString()}`);
      }
      assert.equal(storedInvites().length, 0);
    });

    it("New Invite gives a user a contact invite link at once", async () => {
      const reply = await execute(alice, "urn:xmpp:invite#invite", { action: "execute" });
      assert.equal(reply.getChild("command", CMD)?.attrs.status, "completed", reply.toString());
      const fields = fieldsOf(reply);
      assert.match(fields.uri ?? "", new RegExp(`^xmpp:alice@${server.host}\\?roster;preauth=[A-Za-z0-9_-]{36};ibr=y$`));
      assert.match(fields["landing-url"] ?? "", new RegExp(`^${porter.baseUrl}/invite/[A-Za-z0-9_-]{36}$`));
      const stored = storedInvites().at(-1);
      assert.equal(stored?.kind, "contact");
      assert.equal(stored?.creator, `alice@${server.host}`);
    });

    it("Create new account invite walks through its form for an admin and is forbidden to users", async () => {
      const form = await execute(admin, "urn:xmpp:invite#create-account", { action: "execute" });
      const command = form.getChild("command", CMD);
      assert.equal(command?.attrs.status, "executing", form.toString());
      const done = await execute(
        admin,
        "urn:xmpp:invite#create-account",
        { sessionid: command?.attrs.sessionid as string, action: "complete" },
        submitted({ username: "newbie", uses: "1", note: "from the integration test" }),
      );
      assert.equal(done.getChild("command", CMD)?.attrs.status, "completed", done.toString());
      assert.match(fieldsOf(done).uri ?? "", new RegExp(`^xmpp:newbie@${server.host}\\?register;preauth=`));
      const stored = storedInvites().at(-1);
      assert.equal(stored?.username, "newbie");
      assert.equal(stored?.note, "from the integration test");
      const refused = await execute(alice, "urn:xmpp:invite#create-account", { action: "execute" });
      assert.equal(errorCondition(refused), "forbidden");
    });

    it("answers a stale session with bad-sessionid and a bad field with the form again, naming the field", async () => {
      const stale = await execute(admin, "urn:xmpp:invite#create-account", { sessionid: "no-such-session", action: "complete" }, submitted({}));
      assert.equal(errorCondition(stale), "bad-request");
      assert.ok(stale.getChild("error")?.getChild("bad-sessionid", CMD));
      const bad = await execute(admin, "urn:xmpp:invite#create-account", { action: "execute" }, submitted({ ttl: "whenever" }));
      const again = bad.getChild("command", CMD);
      assert.equal(again?.attrs.status, "executing", bad.toString());
      assert.match(again?.getChildText("note") ?? "", /ttl/);
    });

    it("keeps the account bob\\ apart from the account bob\\5c, which the JID library would confuse", async () => {
      // XEP-0106 writes bob\ as bob\5c: a JID library that escapes would make these one person.
      await server.register("bob\\", "bob-password");
      await server.register("bob\\5c", "other-password");
      const bob = await connectClient(server, "bob\\", "bob-password");
      const other = await connectClient(server, "bob\\5c", "other-password");
      try {
        const made = await execute(bob, "urn:xmpp:invite#invite", { action: "execute" });
        assert.equal(made.getChild("command", CMD)?.attrs.status, "completed", made.toString());
        assert.equal(storedInvites().at(-1)?.creator, `bob\\@${server.host}`);
        const listed = await execute(other, "urn:xmpp:porter:invites#list", { action: "execute" }, submitted({ show: "all" }));
        assert.match(listed.getChild("command", CMD)?.getChildText("note") ?? "", /no invites/i, listed.toString());
        const revoke = await execute(other, "urn:xmpp:porter:invites#revoke", { action: "execute" });
        assert.match(revoke.getChild("command", CMD)?.getChildText("note") ?? "", /no active invites/i, revoke.toString());
        const own = await execute(bob, "urn:xmpp:porter:invites#list", { action: "execute" }, submitted({ show: "all" }));
        assert.equal(own.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChildren("item").length, 1, own.toString());
      } finally {
        await bob.stop();
        await other.stop();
      }
    });

    it("lists and revokes invites, users only their own", async () => {
      const list = await execute(alice, "urn:xmpp:porter:invites#list", { action: "execute" }, submitted({ show: "all" }));
      const items = list.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChildren("item") ?? [];
      assert.equal(items.length, 1, list.toString());
      const form = await execute(admin, "urn:xmpp:porter:invites#revoke");
      const command = form.getChild("command", CMD);
      const options = command?.getChild("x", "jabber:x:data")?.getChild("field")?.getChildren("option") ?? [];
      assert.equal(options.length, storedInvites().length);
      const id = options[0]?.getChildText("value") ?? "";
      const done = await execute(
        admin,
        "urn:xmpp:porter:invites#revoke",
        { sessionid: command?.attrs.sessionid as string, action: "complete" },
        submitted({ invite: id }),
      );
      assert.equal(done.getChild("command", CMD)?.attrs.status, "completed", done.toString());
      assert.notEqual(storedInvites().find((invite) => String(invite.id) === id)?.revoked_at, null);
    });

    it("refuses, after asking the server, an invite reserving an existing name and a reset for an account that does not exist", async () => {
      const before = storedInvites().length;
      const taken = await execute(admin, "urn:xmpp:invite#create-account", { action: "execute" }, submitted({ username: "alice" }));
      assert.equal(taken.getChild("command", CMD)?.attrs.status, "executing", taken.toString());
      assert.match(taken.getChild("command", CMD)?.getChildText("note") ?? "", new RegExp(`alice@${server.host} already exists`));
      const nobody = await execute(admin, "urn:xmpp:porter:invites#reset", { action: "execute" }, submitted({ accountjid: `nobody@${server.host}` }));
      assert.match(nobody.getChild("command", CMD)?.getChildText("note") ?? "", new RegExp(`no account nobody@${server.host}`), nobody.toString());
      assert.equal(storedInvites().length, before);
      // The check left no account behind (ejabberd is asked by trying to create one): the name is still free.
      const free = await execute(admin, "urn:xmpp:invite#create-account", { action: "execute" }, submitted({ username: "nobody" }));
      assert.equal(free.getChild("command", CMD)?.attrs.status, "completed", free.toString());
    });

    it("creates a password reset invite for an admin", async () => {
      const done = await execute(admin, "urn:xmpp:porter:invites#reset", { action: "execute" }, submitted({ accountjid: `alice@${server.host}` }));
      assert.match(fieldsOf(done).uri ?? "", new RegExp(`^xmpp:alice@${server.host}\\?register;preauth=`));
      assert.equal(storedInvites().at(-1)?.kind, "reset");
    });

    it("shares its database with the porter command while running", async () => {
      const created = runPorter(["invite", "create", "--note", "made by the CLI", "--json"], porter.env);
      assert.equal(created.code, 0, created.stderr);
      const { id } = JSON.parse(created.stdout) as { id: number };
      const list = await execute(admin, "urn:xmpp:porter:invites#list", { action: "execute" }, submitted({ show: "all" }));
      const rows = list.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChildren("item") ?? [];
      const ids = rows.map((item) =>
        item
          .getChildren("field")
          .find((field) => field.attrs.var === "id")
          ?.getChildText("value"),
      );
      assert.ok(ids.includes(String(id)), list.toString());
      const fromAdhoc = await execute(alice, "urn:xmpp:invite#invite");
      assert.equal(fromAdhoc.getChild("command", CMD)?.attrs.status, "completed");
      const newest = storedInvites().at(-1);
      const revoked = runPorter(["invite", "revoke", String(newest?.id)], porter.env);
      assert.equal(revoked.code, 0, revoked.stderr);
      const aliceList = await execute(alice, "urn:xmpp:porter:invites#list", { action: "execute" }, submitted({ show: "all" }));
      assert.match(aliceList.toString(), /revoked/);
      assert.ok(porter.running);
    });

    it("checks on the server, through the running Porter, the accounts a porter command names", () => {
      const before = storedInvites().length;
      const refused = [
        { args: ["--username", "alice"], says: `the account alice@${server.host} already exists` },
        { args: ["--reset", "nobody"], says: `there is no account nobody@${server.host} to reset` },
        { args: ["--contact", `nobody@${server.host}`], says: `there is no account nobody@${server.host} to become a contact of` },
      ];
      for (const { args, says } of refused) {
        const result = runPorter(["invite", "create", ...args], porter.env);
        assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
        assert.ok(result.stderr.includes(says), result.stderr);
      }
      assert.equal(storedInvites().length, before);
      for (const args of [
        ["--username", "carol"],
        ["--reset", "alice"],
        ["--contact", `alice@${server.host}`],
      ]) {
        const result = runPorter(["invite", "create", ...args], porter.env);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, "", "checked, so no warning");
      }
      assert.deepEqual(
        storedInvites()
          .slice(before)
          .map((invite) => [invite.kind, invite.username]),
        [
          ["account", "carol"],
          ["reset", "alice"],
          ["contact", "alice"],
        ],
      );
    });
  });
}

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import Database from "better-sqlite3";
import xml, { type Element } from "@xmpp/xml";
import type { Browser } from "playwright-core";

import { AppStream, registerWithInvite } from "../../harness/app-stream.js";
import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { startServer } from "../../harness/index.js";
import { launchBrowser } from "../../harness/browser.js";
import { runPorter } from "../../harness/porter-cli.js";
import { type LogLine, PorterProcess } from "../../harness/porter-process.js";
import { submitInviteForm } from "../../harness/invite-form.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn, connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { errorCondition } from "../support/xml.js";

const CMD = "http://jabber.org/protocol/commands";
const ADMIN = { username: "admin", password: "admin-password" };
const ALICE = { username: "alice", password: "alice-password" };
const BOB = { username: "bob", password: "bob-password" };
const PASSWORD = "App-Secret-123";

const tokenOf = (uri: string) => /preauth=([A-Za-z0-9_-]+)/.exec(uri)?.[1] ?? assert.fail(`no token in ${uri}`);
const isRefusedSubscription = (line: LogLine) =>
  line.msg === "refused" && (line.stanza as { payload?: string } | undefined)?.payload === "{urn:xmpp:porter:bridge:0}subscribe";
const errorText = (reply: Element) => reply.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? "";

/**
 * Apps redeeming Porter's invites through Porter's module inside real Prosody
 * and ejabberd, as Conversations does: on the server's own stream, before any
 * login.
 */
for (const server of SERVERS) {
  describe(`apps redeem invites through Porter's module in ${server.label}`, () => {
    let attached: Attached;
    let xmpp: XmppServer;
    let porter: PorterProcess;
    /** The Porter started again after being stopped, on the same database. */
    let restarted: PorterProcess | undefined;
    let admin: TestClient;
    let alice: TestClient;
    let bob: TestClient;
    let browser: Browser;

    before(async () => {
      attached = await startServerWithPorter(server.kind, { release: server.release, users: [ADMIN, ALICE, BOB], porterModule: {} }, (started) => ({
        PORTER_ADMINS: `admin@${started.host}`,
        PORTER_HTTP_FORM_LIMIT: "1000",
      }));
      ({ server: xmpp, porter } = attached);
      await porter.waitForLog((line) => /server module is loaded/.test(line.msg));
      admin = await connectClient(xmpp, ADMIN.username, ADMIN.password);
      alice = await connectClient(xmpp, ALICE.username, ALICE.password);
      bob = await connectClient(xmpp, BOB.username, BOB.password);
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      for (const client of [admin, alice, bob]) await client.stop().catch(() => undefined);
      await restarted?.destroy();
      await attached.destroy();
    });

    const invite = (...args: string[]) => {
      const result = runPorter(["invite", "create", "--json", ...args], porter.env);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as { id: number; landing_url: string; uri: string };
    };
    const databasePath = () => porter.env.PORTER_DATABASE_PATH ?? join(porter.dir, "porter.sqlite");
    const usesOf = (id: number) => {
      const db = new Database(databasePath(), { readonly: true });
      try {
        return (db.prepare("SELECT uses FROM invites WHERE id = ?").get(id) as { uses: number }).uses;
      } finally {
        db.close();
      }
    };
    const execute = (client: TestClient, node: string, to = xmpp.componentDomain) =>
      client.iq(xml("iq", { type: "set", to }, xml("command", { xmlns: CMD, node, action: "execute" })));
    const newInvite = async (client: TestClient) => {
      const reply = await execute(client, "urn:xmpp:invite#invite");
      const field = reply
        .getChild("command", CMD)
        ?.getChild("x", "jabber:x:data")
        ?.getChildren("field")
        .find((f) => f.attrs.var === "uri");
      return field?.getChildText("value") ?? assert.fail(reply.toString());
    };
    const rosterItem = async (client: TestClient, jid: string) => {
      const reply = await client.iq(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })));
      return reply
        .getChild("query", "jabber:iq:roster")
        ?.getChildren("item")
        .find((item) => item.attrs.jid === jid);
    };
    /**
     * The roster item once it matches, or as it is after a minute: rosters change after the
     * answers tests wait for, by seconds when the machine is busy.
     */
    const settledRosterItem = async (client: TestClient, jid: string, matches: (item: Element | undefined) => boolean) => {
      const deadline = Date.now() + 60_000;
      let item = await rosterItem(client, jid);
      while (!matches(item) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        item = await rosterItem(client, jid);
      }
      return item;
    };

    it("announces invite registration to apps that have not logged in", async () => {
      const stream = await AppStream.open(xmpp);
      try {
        assert.equal(stream.announces("register", "urn:xmpp:ibr-token:0"), true, stream.features.toString());
        assert.equal(stream.announces("register", "urn:xmpp:invite"), true);
        assert.equal(stream.announces("register", "http://jabber.org/features/iq-register"), true);
      } finally {
        stream.close();
      }
    });

    it("registers an app with an account invite, then the account logs in and the invite is spent", async () => {
      const { id, uri } = invite();
      const { preauth, registration } = await registerWithInvite(xmpp, tokenOf(uri), "appuser", PASSWORD);
      assert.equal(preauth.attrs.type, "result", preauth.toString());
      assert.equal(registration?.attrs.type, "result", registration?.toString());
      assert.equal(await canLogIn(xmpp, "appuser", PASSWORD), true);
      assert.equal(usesOf(id), 1);
      const again = await registerWithInvite(xmpp, tokenOf(uri), "second", PASSWORD);
      assert.equal(errorCondition(again.preauth), "item-not-found");
      assert.match(errorText(again.preauth), /already been used/);
    });

    it("refuses unknown, revoked and expired tokens, and registration without a token", async () => {
      const unknown = await registerWithInvite(xmpp, "A".repeat(43), "nobody1", PASSWORD);
      assert.equal(errorCondition(unknown.preauth), "item-not-found");
      assert.equal(unknown.preauth.getChild("error")?.attrs.type, "cancel");

      const revoked = invite();
      assert.equal(runPorter(["invite", "revoke", String(revoked.id)], porter.env).code, 0);
      const refusedRevoked = await registerWithInvite(xmpp, tokenOf(revoked.uri), "nobody2", PASSWORD);
      assert.equal(errorCondition(refusedRevoked.preauth), "item-not-found");
      assert.match(errorText(refusedRevoked.preauth), /revoked/);

      const expired = invite();
      const db = new Database(databasePath());
      db.prepare("UPDATE invites SET created_at = unixepoch() - 120, expires_at = unixepoch() - 60 WHERE id = ?").run(expired.id);
      db.close();
      const refusedExpired = await registerWithInvite(xmpp, tokenOf(expired.uri), "nobody3", PASSWORD);
      assert.match(errorText(refusedExpired.preauth), /expired/);

      // Without a token the server's own registration answers: Prosody's mod_porter refuses it,
      // ejabberd's mod_register keeps its access rule (none).
      const stream = await AppStream.open(xmpp);
      try {
        const answer = await stream.register("nobody4", PASSWORD);
        assert.equal(errorCondition(answer), server.kind === "prosody" ? "not-allowed" : "forbidden", answer.toString());
      } finally {
        stream.close();
      }
      for (const name of ["nobody1", "nobody2", "nobody3", "nobody4"]) assert.equal(await canLogIn(xmpp, name, PASSWORD), false);
    });

    it("accepts only the reserved username of an invite that reserves one", async () => {
      const { id, uri } = invite("--username", "reserved");
      const stream = await AppStream.open(xmpp);
      try {
        assert.equal((await stream.preauth(tokenOf(uri), xmpp.host)).attrs.type, "result");
        const other = await stream.register("someoneelse", PASSWORD);
        assert.equal(errorCondition(other), "not-acceptable", other.toString());
        assert.equal(usesOf(id), 0);
        const right = await stream.register("reserved", PASSWORD);
        assert.equal(right.attrs.type, "result", right.toString());
      } finally {
        stream.close();
      }
      assert.equal(await canLogIn(xmpp, "reserved", PASSWORD), true);
      assert.equal(await canLogIn(xmpp, "someoneelse", PASSWORD), false);
    });

    it("refuses a taken username with conflict and keeps the use for another name", async () => {
      const { id, uri } = invite();
      const stream = await AppStream.open(xmpp);
      try {
        assert.equal((await stream.preauth(tokenOf(uri), xmpp.host)).attrs.type, "result");
        const taken = await stream.register(BOB.username, PASSWORD);
        assert.equal(errorCondition(taken), "conflict", taken.toString());
        assert.equal(usesOf(id), 0);
        const free = await stream.register("untaken", PASSWORD);
        assert.equal(free.attrs.type, "result", free.toString());
      } finally {
        stream.close();
      }
      assert.equal(usesOf(id), 1);
      assert.equal(await canLogIn(xmpp, BOB.username, BOB.password), true);
    });

    it("makes exactly five accounts when twenty apps race for a five-use invite", async () => {
      const { id, uri } = invite("--uses", "5");
      const names = Array.from({ length: 20 }, (_, n) => `racer${n}`);
      const results = await Promise.all(names.map((name) => registerWithInvite(xmpp, tokenOf(uri), name, PASSWORD)));
      const registered = names.filter((_, n) => results[n]?.registration?.attrs.type === "result");
      assert.equal(registered.length, 5, results.map((r) => r.registration?.toString() ?? r.preauth.toString()).join("\n"));
      assert.equal(usesOf(id), 5);
      for (const name of names) assert.equal(await canLogIn(xmpp, name, PASSWORD), registered.includes(name), name);
    });

    it("pairs the inviter and the new account of a user's contact invite, and tells the inviter", async () => {
      const uri = await newInvite(alice);
      assert.match(uri, /;ibr=y$/);
      const notice = alice.nextMessage((message) => message.attrs.from === xmpp.componentDomain);
      const { registration } = await registerWithInvite(xmpp, tokenOf(uri), "friend", PASSWORD);
      assert.equal(registration?.attrs.type, "result", registration?.toString());
      assert.match((await notice).getChildText("body") ?? "", new RegExp(`friend@${xmpp.host} has joined`));
      // Porter pairs them after the server reported the account, which the app does not wait for.
      const item = await settledRosterItem(alice, `friend@${xmpp.host}`, (found) => found?.attrs.subscription === "both");
      assert.equal(item?.attrs.subscription, "both", item?.toString());
    });

    it("makes the inviter and the account of a web redemption mutual contacts, and the page says so", async () => {
      const { landing_url: link } = invite("--contact", `alice@${xmpp.host}`);
      const answer = await submitInviteForm(link, "webfriend", PASSWORD);
      assert.equal(answer.status, 200, answer.page);
      assert.match(answer.page, /already contacts/);
      const item = await settledRosterItem(alice, `webfriend@${xmpp.host}`, (found) => found?.attrs.subscription === "both");
      assert.equal(item?.attrs.subscription, "both", item?.toString());
      const webfriend = await connectClient(xmpp, "webfriend", PASSWORD);
      try {
        assert.equal((await rosterItem(webfriend, `alice@${xmpp.host}`))?.attrs.subscription, "both");
      } finally {
        await webfriend.stop();
      }
    });

    it("approves an existing user's contact request that carries the inviter's token, and delivers others unchanged", async () => {
      const uri = await newInvite(alice);
      await bob.send(xml("presence", { type: "subscribe", to: `alice@${xmpp.host}` }, xml("preauth", { xmlns: "urn:xmpp:pars:0", token: tokenOf(uri) })));
      const notice = await alice.nextMessage((message) => message.attrs.from === xmpp.componentDomain);
      assert.match(notice.getChildText("body") ?? "", new RegExp(`bob@${xmpp.host} is now your contact`));
      const item = await settledRosterItem(alice, `bob@${xmpp.host}`, (found) => found?.attrs.ask === "subscribe");
      assert.equal(item?.attrs.subscription, "from", item?.toString());
      assert.equal(item?.attrs.ask, "subscribe", "alice asks back, for a mutual subscription");

      // The admin's token is not alice's: Porter says so, and the request reaches alice unapproved.
      const foreign = tokenOf(await newInvite(admin));
      const refusedBefore = porter.lines.filter(isRefusedSubscription).length;
      await admin.send(xml("presence", { type: "subscribe", to: `alice@${xmpp.host}` }, xml("preauth", { xmlns: "urn:xmpp:pars:0", token: foreign })));
      await porter.waitForLog(() => porter.lines.filter(isRefusedSubscription).length > refusedBefore);
      const pending = await settledRosterItem(admin, `alice@${xmpp.host}`, (found) => found?.attrs.ask === "subscribe");
      assert.equal(pending?.attrs.ask, "subscribe", pending?.toString());
      assert.equal(pending?.attrs.subscription, "none");
      assert.notEqual((await rosterItem(alice, `admin@${xmpp.host}`))?.attrs.subscription, "from");
    });

    it("lists Porter's commands in the host's command list, by role, and they run at Porter's JID", async () => {
      const commands = async (client: TestClient) => {
        const reply = await client.iq(xml("iq", { type: "get", to: xmpp.host }, xml("query", { xmlns: "http://jabber.org/protocol/disco#items", node: CMD })));
        return (
          reply
            .getChild("query")
            ?.getChildren("item")
            .filter((item) => item.attrs.jid === xmpp.componentDomain)
            .map((item) => item.attrs.node as string) ?? []
        );
      };
      const forAlice = await commands(alice);
      assert.ok(forAlice.includes("urn:xmpp:invite#invite"), forAlice.join(", "));
      assert.ok(!forAlice.includes("urn:xmpp:invite#create-account"));
      assert.ok((await commands(admin)).includes("urn:xmpp:invite#create-account"));
      const ran = await execute(admin, "urn:xmpp:invite#create-account");
      assert.equal(ran.attrs.type, "result", ran.toString());
    });

    it("puts the app first on the landing page, where the module makes the app button work", async () => {
      const { landing_url: link, uri } = invite();
      const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
      const response = await page.goto(link);
      assert.equal(response?.headers().link, `<${uri}>; rel="alternate"`);
      assert.equal(await page.textContent("h2"), "Set up your account in an app");
      assert.equal(await page.getAttribute("ol.steps a.button", "href"), uri);
      assert.equal(await page.locator("form").count(), 1, "the web form stays as the other way");
    });

    it("answers pre-auth with a wait error while Porter is stopped, and the invite works once it is back", async () => {
      const { id, uri } = invite();
      await porter.stop();
      const away = await registerWithInvite(xmpp, tokenOf(uri), "patient", PASSWORD);
      assert.equal(errorCondition(away.preauth), "service-unavailable", `${away.preauth.toString()}\n${await xmpp.logTail(30)}`);
      assert.equal(away.preauth.getChild("error")?.attrs.type, "wait");
      restarted = await PorterProcess.start(xmpp, { env: porter.env, httpPort: porter.httpPort });
      porter = restarted;
      await porter.waitForHealth(200);
      const back = await registerWithInvite(xmpp, tokenOf(uri), "patient", PASSWORD);
      assert.equal(back.registration?.attrs.type, "result", back.preauth.toString());
      assert.equal(usesOf(id), 1);
    });
  });

  describe(`${server.label} with Porter's module, without the roster privilege, while users' invites may not create accounts`, () => {
    let attached: Attached;
    let alice: TestClient;
    let admin: TestClient;

    before(async () => {
      attached = await startServerWithPorter(
        server.kind,
        { release: server.release, users: [ADMIN, ALICE], porterModule: {}, grantComponentRoster: false },
        (started) => ({ PORTER_ADMINS: `admin@${started.host}`, PORTER_INVITES_ALLOW_USER_INVITES: "false" }),
      );
      await attached.porter.waitForLog((line) => /server module is loaded/.test(line.msg));
      alice = await connectClient(attached.server, ALICE.username, ALICE.password);
      admin = await connectClient(attached.server, ADMIN.username, ADMIN.password);
    });

    after(async () => {
      await alice.stop().catch(() => undefined);
      await admin.stop().catch(() => undefined);
      await attached.destroy();
    });

    const newInviteOf = async (client: TestClient) => {
      const reply = await client.iq(
        xml("iq", { type: "set", to: attached.server.componentDomain }, xml("command", { xmlns: CMD, node: "urn:xmpp:invite#invite", action: "execute" })),
      );
      return (
        reply
          .getChild("command", CMD)
          ?.getChild("x", "jabber:x:data")
          ?.getChildren("field")
          .find((f) => f.attrs.var === "uri")
          ?.getChildText("value") ?? ""
      );
    };

    it("refuses in-band registration with a user's contact invite", async () => {
      const { preauth } = await registerWithInvite(attached.server, tokenOf(await newInviteOf(alice)), "mallory", PASSWORD);
      assert.equal(errorCondition(preauth), "forbidden", preauth.toString());
      assert.equal(await canLogIn(attached.server, "mallory", PASSWORD), false);
    });

    it("pairs the new account with its inviter through the module, which needs no roster privilege", async () => {
      const { registration } = await registerWithInvite(attached.server, tokenOf(await newInviteOf(admin)), "paired", PASSWORD);
      assert.equal(registration?.attrs.type, "result", registration?.toString());
      const line = await attached.porter.waitForLog((entry) => entry.msg === "invite redeemed by an app");
      assert.equal(line.account, `paired@${attached.server.host}`);
      // The module pairs them after the registration's answer: wait for it, however busy the machine.
      const deadline = Date.now() + 60_000;
      let subscription: unknown;
      for (;;) {
        const roster = await admin.iq(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })));
        subscription = roster
          .getChild("query")
          ?.getChildren("item")
          .find((item) => item.attrs.jid === `paired@${attached.server.host}`)?.attrs.subscription;
        if (subscription === "both" || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(subscription, "both");
    });
  });

  // ejabberd 23.01 and 24.12 have no invite module of their own to conflict with.
  if (server.kind === "prosody") {
    it(`${server.label}: mod_porter says so when Prosody's own invites_register runs on the same host`, async () => {
      const started = await startServer(server.kind, { release: server.release, porterModule: {}, prosodyHostModules: ["invites_register"] });
      try {
        // Prosody writes its log as it goes: the line may come a moment after the ports open.
        const warned = /mod_invites_register is loaded on localhost beside mod_porter/;
        const deadline = Date.now() + 60_000;
        let log = await started.logTail(200);
        while (!warned.test(log) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          log = await started.logTail(200);
        }
        assert.match(log, warned);
      } finally {
        await started.destroy();
      }
    });
  }
}

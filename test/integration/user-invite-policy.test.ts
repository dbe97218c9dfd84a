import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import xml from "@xmpp/xml";
import type { Browser } from "playwright-core";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { launchBrowser } from "../../harness/browser.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn, connectClient, type TestClient } from "../../harness/xmpp-client.js";

const CMD = "http://jabber.org/protocol/commands";
const ADMIN = { username: "admin", password: "admin-password" };
const ALICE = { username: "alice", password: "alice-password" };
const BROWSER_ACCEPT = "text/html,application/xhtml+xml";

/**
 * invites.allow_user_invites: false. A user's "New Invite" is then a contact
 * invite only: whoever holds it can add the user from an existing account,
 * and no path through Porter turns it into a new account.
 */
for (const { kind, release, label } of SERVERS) {
  describe(`users' invites that may not create accounts, on real ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let admin: TestClient;
    let alice: TestClient;
    let browser: Browser;

    before(async () => {
      attached = await startServerWithPorter(kind, { release, users: [ADMIN, ALICE] }, (started) => ({
        PORTER_ADMINS: `admin@${started.host}`,
        PORTER_INVITES_ALLOW_USER_INVITES: "false",
        PORTER_HTTP_FORM_LIMIT: "1000",
      }));
      server = attached.server;
      admin = await connectClient(server, ADMIN.username, ADMIN.password);
      alice = await connectClient(server, ALICE.username, ALICE.password);
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      await admin.stop().catch(() => undefined);
      await alice.stop().catch(() => undefined);
      await attached.destroy();
    });

    const newInvite = async (client: TestClient) => {
      const reply = await client.iq(
        xml("iq", { type: "set", to: server.componentDomain }, xml("command", { xmlns: CMD, node: "urn:xmpp:invite#invite", action: "execute" })),
      );
      const fields = reply.getChild("command", CMD)?.getChild("x", "jabber:x:data")?.getChildren("field") ?? [];
      const value = (name: string) => fields.find((field) => field.attrs.var === name)?.getChildText("value") ?? "";
      assert.notEqual(value("landing-url"), "", reply.toString());
      return { uri: value("uri"), link: value("landing-url") };
    };

    it("shows no form on the page of a user's invite, says how to add the inviter, and refuses a posted form", async () => {
      const { uri, link } = await newInvite(alice);
      const inviter = `alice@${server.host}`;
      assert.equal(uri.startsWith(`xmpp:${inviter}?roster;preauth=`), true, uri);
      assert.doesNotMatch(uri, /ibr=y/);

      const page = await (await browser.newContext()).newPage();
      assert.equal((await page.goto(link))?.status(), 200);
      assert.equal(await page.locator("form").count(), 0);
      assert.equal(await page.locator("input[type=password]").count(), 0);
      assert.equal(await page.textContent("h1"), `Chat with ${inviter}`);
      assert.match((await page.textContent("main")) ?? "", /does not create an account/);
      assert.equal(await page.getAttribute("a.button", "href"), uri);

      // A form posted anyway, as a script would: refused, and no account appears on the server.
      const posted = await fetch(link, {
        method: "POST",
        body: new URLSearchParams({ username: "mallory", password: "Secret-Passw0rd-1", password_confirm: "Secret-Passw0rd-1", csrf: "x" }),
        headers: { accept: BROWSER_ACCEPT, origin: new URL(link).origin },
      });
      assert.equal(posted.status, 403);
      assert.match(await posted.text(), /does not create accounts/);
      assert.equal(await canLogIn(server, "mallory", "Secret-Passw0rd-1"), false);

      // The invite itself is untouched: its page still opens.
      assert.equal((await fetch(link, { headers: { accept: BROWSER_ACCEPT } })).status, 200);
    });

    it("still lets an administrator's New Invite create an account through its page", async () => {
      const { uri, link } = await newInvite(admin);
      assert.match(uri, /;ibr=y$/);
      const page = await (await browser.newContext()).newPage();
      await page.goto(link);
      await page.fill("#username", "invitee");
      await page.fill("#password", "Secret-Passw0rd-2");
      await page.fill("#password_confirm", "Secret-Passw0rd-2");
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("button[type=submit]")]);
      assert.equal(response.status(), 200);
      assert.equal(await canLogIn(server, "invitee", "Secret-Passw0rd-2"), true);
    });
  });
}

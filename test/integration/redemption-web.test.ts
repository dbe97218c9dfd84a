import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import xml from "@xmpp/xml";
import type { Browser } from "playwright-core";

import { launchBrowser } from "../../harness/browser.js";
import { submitSignup } from "../../harness/signup-form.js";
import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { PorterProcess } from "../../harness/porter-process.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn, connectClient } from "../../harness/xmpp-client.js";
import { runPorter } from "../../harness/porter-cli.js";

const PHONE = { width: 390, height: 844 };

for (const { kind, release, label } of SERVERS) {
  describe(`redeeming invites in a real browser, accounts on real ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let porter: PorterProcess;
    let browser: Browser;

    before(async () => {
      // Every request comes from 127.0.0.1 here; the per-address limit has its own test.
      attached = await startServerWithPorter(
        kind,
        {
          release,
          users: [
            { username: "taken", password: "taken-password" },
            { username: "inviter", password: "inviter-password" },
          ],
        },
        { PORTER_HTTP_FORM_LIMIT: "1000" },
      );
      ({ server, porter } = attached);
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      await attached.destroy();
    });

    const invite = (...args: string[]) => {
      const result = runPorter(["invite", "create", "--json", ...args], porter.env);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as { id: number; landing_url: string; uri: string };
    };

    const newPage = async (viewport = PHONE) => (await browser.newContext({ viewport })).newPage();

    it("shows the landing page and creates an account that then logs in", async () => {
      const { landing_url: url } = invite("--note", "web test");
      const page = await newPage();
      const response = await page.goto(url);
      assert.equal(response?.status(), 200);
      assert.equal(await page.textContent("h1"), `You are invited to ${server.host}`);
      // Without Porter's module in the server, no app could redeem the invite: no app link, the form first.
      assert.equal(await page.locator("a.button").count(), 0);
      assert.equal(response?.headers().link, undefined);
      assert.equal(await page.textContent("h2"), "Create your account");
      assert.equal(await page.locator(".qr svg").count(), 1);
      assert.ok((await page.locator("ul.apps li").count()) >= 4);
      assert.equal(await submitSignup(page, "webuser", "web-Password-1"), 200);
      assert.equal(await page.textContent("h1"), "Your account is ready");
      assert.equal(await page.textContent("#jid"), `webuser@${server.host}`);
      assert.equal(await canLogIn(server, "webuser", "web-Password-1"), true);

      const again = await newPage();
      assert.equal((await again.goto(url))?.status(), 410);
      assert.match((await again.textContent("main")) ?? "", /already been used/);

      const revoked = invite();
      assert.equal(runPorter(["invite", "revoke", String(revoked.id)], porter.env).code, 0);
      assert.equal((await again.goto(revoked.landing_url))?.status(), 410);
      assert.match((await again.textContent("main")) ?? "", /has been revoked/);
    });

    it("keeps the invite usable when the name is taken or the form is wrong, and keeps what was typed but passwords", async () => {
      const { landing_url: url } = invite();
      const page = await newPage();
      await page.goto(url);
      assert.equal(await submitSignup(page, "Taken", "some-Password-2"), 422);
      assert.match((await page.textContent("#username-error")) ?? "", /already taken/);
      assert.equal(await page.inputValue("#username"), "Taken");
      assert.equal(await page.inputValue("#password"), "");
      assert.equal(await submitSignup(page, "fresh", "some-Password-2", "other-Password-2"), 422);
      assert.match((await page.textContent("#password_confirm-error")) ?? "", /differ/);
      assert.equal(await submitSignup(page, "fresh", "short"), 422);
      assert.match((await page.textContent("#password-error")) ?? "", /at least 8/);
      assert.equal(await submitSignup(page, "fresh", "some-Password-2"), 200);
      assert.equal(await canLogIn(server, "fresh", "some-Password-2"), true);
      assert.equal(await canLogIn(server, "taken", "taken-password"), true);
    });

    it("enforces a reserved username", async () => {
      const { landing_url: url, uri } = invite("--username", "reserved");
      assert.match(uri, new RegExp(`^xmpp:reserved@${server.host}\\?register;preauth=`));
      const page = await newPage();
      await page.goto(url);
      assert.equal(await page.inputValue("#username"), "reserved");
      assert.equal(await page.locator("#username").isEditable(), false);
      // Even a hand-made post with another name creates the reserved account.
      await page.locator("#username").evaluate((input) => {
        (input as HTMLInputElement).readOnly = false;
      });
      assert.equal(await submitSignup(page, "someone-else", "keep-Password-11"), 200);
      assert.equal(await page.textContent("#jid"), `reserved@${server.host}`);
      assert.equal(await canLogIn(server, "reserved", "keep-Password-11"), true);
      assert.equal(await canLogIn(server, "someone-else", "keep-Password-11"), false);
    });

    it("escapes hostile text in what it shows back", async () => {
      const { landing_url: url } = invite();
      const page = await newPage();
      await page.goto(url);
      const hostile = `"><img src=x onerror=alert(1)>`;
      assert.equal(await submitSignup(page, hostile, "some-Password-3"), 422);
      assert.equal(await page.inputValue("#username"), hostile);
      assert.equal(await page.locator("main img").count(), 0);
      assert.match(await page.content(), /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
    });

    it("answers unknown and malformed links with a 404 page", async () => {
      const page = await newPage();
      assert.equal((await page.goto(`${porter.baseUrl}/invite/${"A".repeat(32)}`))?.status(), 404);
      assert.equal((await page.goto(`${porter.baseUrl}/invite/%3Cscript%3E`))?.status(), 404);
      assert.equal(await page.textContent("h1"), "Invite not valid");
    });

    it("refuses a form posted from another site", async () => {
      const { landing_url: url } = invite();
      const page = await (await fetch(url)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
      const body = new URLSearchParams({ csrf, username: "forged", password: "forged-Password-4", password_confirm: "forged-Password-4" });
      const forged = await fetch(url, { method: "POST", body, headers: { origin: "https://evil.example" } });
      assert.equal(forged.status, 403);
      const noToken = await fetch(url, {
        method: "POST",
        body: new URLSearchParams({ username: "forged", password: "forged-Password-4", password_confirm: "forged-Password-4" }),
      });
      assert.equal(noToken.status, 403);
      assert.equal(await canLogIn(server, "forged", "forged-Password-4"), false);
    });

    it("creates exactly one account from 20 concurrent submissions of a single-use invite", async () => {
      const { landing_url: url } = invite();
      const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(url)).text())?.[1] ?? "";
      const names = Array.from({ length: 20 }, (_, i) => `racer${i}`);
      const statuses = await Promise.all(
        names.map(async (name) => {
          const body = new URLSearchParams({ csrf, username: name, password: "race-Password-5", password_confirm: "race-Password-5" });
          return (await fetch(url, { method: "POST", body, headers: { origin: new URL(url).origin } })).status;
        }),
      );
      const logins = await Promise.all(names.map((name) => canLogIn(server, name, "race-Password-5")));
      assert.equal(logins.filter(Boolean).length, 1, `statuses ${statuses.join(",")}`);
      assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(","));
    });

    it("shows an error page when the server is down and leaves the invite usable", async () => {
      const { landing_url: url } = invite();
      const page = await newPage();
      await page.goto(url);
      await server.stop();
      try {
        await porter.waitForHealth(503);
        assert.equal(await submitSignup(page, "patient", "waiting-Pass-6"), 503);
        assert.match((await page.textContent("main")) ?? "", /still valid/);
      } finally {
        await server.start();
      }
      await porter.waitForHealth(200);
      await page.goto(url);
      assert.equal(await submitSignup(page, "patient", "waiting-Pass-6"), 200);
      assert.equal(await canLogIn(server, "patient", "waiting-Pass-6"), true);
    });

    it("makes the invitee and the inviter mutual contacts where the server honours roster privilege", async () => {
      const { landing_url: url } = invite("--contact", `inviter@${server.host}`);
      const page = await newPage();
      await page.goto(url);
      assert.match((await page.textContent("main")) ?? "", new RegExp(`inviter@${server.host} invited you`));
      assert.equal(await submitSignup(page, "friend", "chat-Password-10"), 200);
      const inviter = await connectClient(server, "inviter", "inviter-password");
      try {
        const roster = await inviter.iq(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })));
        const item = roster
          .getChild("query", "jabber:iq:roster")
          ?.getChildren("item")
          .find((i) => i.attrs.jid === `friend@${server.host}`);
        if (kind === "prosody") {
          // Prosody's mod_privilege (0.12's, and Debian 13's prosody-modules for 13) writes the subscription as asked.
          assert.equal(item?.attrs.subscription, "both", roster.toString());
          assert.match((await page.textContent("#contact")) ?? "", /already contacts/);
        } else {
          // Nothing is written on either ejabberd, for different reasons (test/deploy/servers.test.ts
          // shows both): ejabberd 23.01 grants the roster privilege but fails every privileged
          // roster set ("Module failed to handle the query"); ejabberd 24.12 runs without the
          // privilege, since granting it costs Porter the admin commands there (harness/ejabberd.ts).
          assert.equal(item, undefined, roster.toString());
          assert.match((await page.textContent("#contact")) ?? "", new RegExp(`add inviter@${server.host} to your contacts`));
        }
      } finally {
        await inviter.stop();
      }
    });

    it("sets a new password with a reset invite, for the named account only", async () => {
      const { landing_url: url } = invite("--reset", "taken");
      const page = await newPage();
      await page.goto(url);
      assert.equal(await page.textContent("h1"), `New password for taken@${server.host}`);
      assert.equal(await page.locator("#username").isEditable(), false);
      assert.equal(await page.locator("a.button").count(), 0, "no app link: the account exists already");
      assert.equal(await submitSignup(page, "ignored", "renewed-Password-7"), 200);
      assert.equal(await page.textContent("h1"), "Your password is changed");
      assert.equal(await canLogIn(server, "taken", "renewed-Password-7"), true);
      assert.equal(await canLogIn(server, "taken", "taken-password"), false);
    });

    it("explains at /register that accounts come by invitation, and refuses posts there", async () => {
      const page = await newPage();
      assert.equal((await page.goto(`${porter.baseUrl}/register`))?.status(), 200);
      assert.match((await page.textContent("main")) ?? "", /created by invitation/);
      assert.equal(await page.locator("form").count(), 0);
      const post = await fetch(`${porter.baseUrl}/register`, {
        method: "POST",
        body: new URLSearchParams({ username: "sneaky", password: "sneaky-Pass-8", password_confirm: "sneaky-Pass-8" }),
      });
      assert.equal(post.status, 403);
      assert.equal(await canLogIn(server, "sneaky", "sneaky-Pass-8"), false);
    });
  });

  describe(`open registration at /register on real ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let porter: PorterProcess;
    let browser: Browser;

    before(async () => {
      attached = await startServerWithPorter(
        kind,
        { release },
        {
          PORTER_INVITES_REGISTRATION_INVITE_ONLY: "false",
          PORTER_HTTP_FORM_LIMIT: "2",
          PORTER_PAGES_APPS: JSON.stringify([{ name: "Our own app", platforms: "Everywhere", url: "https://apps.example/our-app?ref=porter" }]),
        },
      );
      ({ server, porter } = attached);
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      await attached.destroy();
    });

    it("creates an account without an invite, under the same rules and per-address limit, and not with a name an invite keeps", async () => {
      // Mistakes in the form cost nothing: only the two attempts that reach the server count against the limit of 2.
      const kept = runPorter(["invite", "create", "--username", "kept"], porter.env);
      assert.equal(kept.code, 0, kept.stderr);
      const page = await (await browser.newContext({ viewport: PHONE })).newPage();
      await page.goto(`${porter.baseUrl}/register`);
      assert.equal(await page.textContent("h1"), `Create an account on ${server.host}`);
      assert.deepEqual(await page.locator("ul.apps a").allTextContents(), ["Our own app"], "the configured apps replace the built-in list");
      assert.equal(await page.getAttribute("ul.apps a", "href"), "https://apps.example/our-app?ref=porter");
      assert.equal(await submitSignup(page, "Bad Name", "open-Password-9"), 422);
      assert.match((await page.textContent("#username-error")) ?? "", /lowercase letters/);
      assert.equal(await submitSignup(page, "kept", "open-Password-9"), 422);
      assert.match((await page.textContent("#username-error")) ?? "", /kept for someone who has an invite/);
      assert.equal(await canLogIn(server, "kept", "open-Password-9"), false);
      assert.equal(await submitSignup(page, "opener", "open-Password-9"), 200);
      assert.equal(await page.textContent("#jid"), `opener@${server.host}`);
      assert.equal(await canLogIn(server, "opener", "open-Password-9"), true);
      await page.goto(`${porter.baseUrl}/register`);
      assert.equal(await submitSignup(page, "second", "open-Password-9"), 200);
      await page.goto(`${porter.baseUrl}/register`);
      // The third attempt from this address within the window that would reach the server.
      assert.equal(await submitSignup(page, "third", "open-Password-9"), 429);
      assert.match((await page.textContent(".alert")) ?? "", /Too many attempts/);
      assert.equal(await canLogIn(server, "third", "open-Password-9"), false);
    });
  });
}

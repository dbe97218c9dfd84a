import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import type { Browser } from "playwright-core";

import { launchBrowser } from "../../harness/browser.js";
import { submitSignup } from "../../harness/signup-form.js";
import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { runPorter } from "../../harness/porter-cli.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn } from "../../harness/xmpp-client.js";
import { PageWords } from "../../src/http/pages/words.js";
import { BUILT_IN_LOCALES } from "../../src/i18n/locales.js";

const WORDS = PageWords.builtIn();
const t = (locale: string) => WORDS.in(locale).t;
/** The operator's file: one German message replaced. */
const OVERRIDDEN = "Jetzt Konto anlegen";

for (const { kind, release, label } of SERVERS) {
  describe(`the pages' languages in a real browser, accounts on real ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let browser: Browser;
    const locales = mkdtempSync(join(tmpdir(), "porter-locales-"));

    before(async () => {
      writeFileSync(join(locales, "de.json"), JSON.stringify({ createAccount: OVERRIDDEN }));
      attached = await startServerWithPorter(
        kind,
        { release },
        { PORTER_PAGES_DEFAULT_LANGUAGE: "fr", PORTER_PAGES_LOCALES_DIR: locales, PORTER_HTTP_FORM_LIMIT: "1000" },
      );
      ({ server } = attached);
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      await attached.destroy();
      rmSync(locales, { recursive: true, force: true });
    });

    const invite = () => {
      const result = runPorter(["invite", "create", "--json"], attached.porter.env);
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { landing_url: string }).landing_url;
    };
    const pageIn = async (acceptLanguage: string) => (await browser.newContext({ extraHTTPHeaders: { "accept-language": acceptLanguage } })).newPage();

    it("renders the invite page in each language a browser asks for, with lang, Content-Language and Vary", async () => {
      const url = invite();
      for (const locale of BUILT_IN_LOCALES) {
        const page = await pageIn(`${locale};q=0.9, tlh`);
        const response = await page.goto(url);
        assert.equal(response?.status(), 200, locale);
        assert.equal(await page.getAttribute("html", "lang"), locale);
        assert.equal(response?.headers()["content-language"], locale);
        assert.match(response?.headers().vary ?? "", /Accept-Language/i);
        assert.equal(await page.textContent("h1"), t(locale)("inviteTitle", { host: server.host }), locale);
        assert.equal(await page.textContent("label[for=password]"), t(locale)("passwordLabel"), locale);
        await page.context().close();
      }
    });

    it("switches language with the links on the page, keeping its address", async () => {
      const url = invite();
      const page = await pageIn("en");
      await page.goto(url);
      const links = page.locator("footer nav a");
      assert.equal(await links.count(), BUILT_IN_LOCALES.length);
      for (const locale of BUILT_IN_LOCALES) {
        await Promise.all([page.waitForURL(`${url}?lang=${encodeURIComponent(locale)}`), page.click(`footer nav a[hreflang="${locale}"]`)]);
        assert.equal(await page.getAttribute("html", "lang"), locale);
        assert.equal(await page.textContent("h1"), t(locale)("inviteTitle", { host: server.host }), locale);
        assert.equal(await page.getAttribute("footer nav a[aria-current=true]", "hreflang"), locale);
      }
      await page.context().close();
    });

    it("keeps the chosen language when a form is refused, and on the page that confirms the account", async () => {
      const url = invite();
      const page = await pageIn("en");
      await page.goto(`${url}?lang=ru`);
      assert.equal(await submitSignup(page, "ivan", "short"), 422);
      assert.equal(await page.getAttribute("html", "lang"), "ru");
      assert.equal(await page.textContent("#password-error"), t("ru")("problem.password-too-short", { min: 8 }));
      assert.equal(await page.textContent("#password-hint"), t("ru")("passwordHint", { min: 8, max: 1024 }));
      assert.equal(await submitSignup(page, "ivan", "ivan-Password-1"), 422, "a password with the username in it");
      assert.equal(await page.textContent("#password-error"), t("ru")("problem.password-contains-username"));
      assert.equal(await submitSignup(page, "ivan", "Secret-Passw0rd-7"), 200);
      assert.equal(await page.getAttribute("html", "lang"), "ru");
      assert.equal(await page.textContent("h1"), t("ru")("successTitle"));
      assert.equal(await canLogIn(server, "ivan", "Secret-Passw0rd-7"), true);
      await page.context().close();
    });

    it("speaks pages.default_language to a browser that asks for none the pages have", async () => {
      const url = invite();
      const page = await pageIn("tlh, x-klingon;q=0.5");
      await page.goto(url);
      assert.equal(await page.getAttribute("html", "lang"), "fr");
      assert.equal(await page.textContent("h1"), t("fr")("inviteTitle", { host: server.host }));
      const plain = await fetch(url);
      assert.equal(plain.headers.get("content-language"), "fr", "no Accept-Language at all");
      await page.context().close();
    });

    it("uses the operator's file over the built-in message, and only that message", async () => {
      const page = await pageIn("de-CH, de;q=0.9");
      await page.goto(invite());
      assert.equal(await page.getAttribute("html", "lang"), "de");
      assert.equal(await page.textContent("button[type=submit]"), OVERRIDDEN);
      assert.equal(await page.textContent("h2"), t("de")("formFirstTitle"));
      await page.context().close();
    });
  });
}

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import type { Browser, Page } from "playwright-core";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { axeViolations } from "../../harness/axe.js";
import { launchBrowser } from "../../harness/browser.js";
import { runPorter } from "../../harness/porter-cli.js";
import { PorterProcess } from "../../harness/porter-process.js";
import { serversWhere } from "../../harness/servers.js";
import { tempDir } from "../support/temp.js";

const SCHEMES = ["light", "dark"] as const;
const PHONE = { width: 390, height: 844 };
// A 1x1 PNG, and an SVG with an intrinsic size: each must actually load in the page.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32"><rect width="96" height="32" fill="#7b1fa2"/></svg>';
const ACCENT = "#7b1fa2";
const ACCENT_RGB = "rgb(123, 31, 162)";
const SITE = "Example Chat";
const EXTRA = "Run by the <b>chess club</b>.\nWrite to us at the club.";
// The command line reads the same configuration, logo included: the folder lives as long as the file's tests.
const LOGO_DIR = tempDir();

/** The logo is written as a PNG for one server and an SVG for the other: both types reach the browser. */
for (const [index, { kind, release, label }] of serversWhere({ release: "debian13" }).entries()) {
  describe(`the operator's brand on the pages, in a real browser, beside real ${label}`, () => {
    let attached: Attached;
    let browser: Browser;
    let porter: PorterProcess;

    before(async () => {
      const logo = join(LOGO_DIR, index === 0 ? "logo.bin" : "logo.svg");
      writeFileSync(logo, index === 0 ? PNG : SVG);
      attached = await startServerWithPorter(
        kind,
        { release },
        {
          PORTER_PAGES_SITE_NAME: SITE,
          PORTER_PAGES_LOGO: logo,
          PORTER_PAGES_ACCENT_COLOR: ACCENT,
          PORTER_PAGES_TERMS_URL: "https://example.com/terms",
          PORTER_PAGES_PRIVACY_URL: "https://example.com/privacy",
          PORTER_PAGES_EXTRA_TEXT: EXTRA,
          PORTER_INVITES_REGISTRATION_INVITE_ONLY: "false",
          PORTER_HTTP_FORM_LIMIT: "1000",
        },
      );
      porter = attached.porter;
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      // The unbranded Porter of the last test replaces the first one; attached.destroy stops the server after it.
      if (porter !== attached.porter) await porter.destroy();
      await attached.destroy();
    });

    const landing = (): string => {
      const result = runPorter(["invite", "create", "--json"], porter.env);
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { landing_url: string }).landing_url;
    };

    const open = async (url: string, scheme: (typeof SCHEMES)[number]): Promise<{ page: Page; csp: string }> => {
      const page = await (await browser.newContext({ viewport: PHONE, colorScheme: scheme })).newPage();
      const response = await page.goto(url);
      assert.equal(response?.status(), 200, url);
      return { page, csp: (await response?.headerValue("content-security-policy")) ?? "" };
    };

    it("shows the name, logo, accent, links and escaped paragraph on the landing and start pages, axe-clean in light and dark mode", async () => {
      const pages = { "landing page": landing(), "start page": `${porter.baseUrl}/` };
      for (const scheme of SCHEMES) {
        for (const [what, url] of Object.entries(pages)) {
          const { page, csp } = await open(url, scheme);
          const where = `${what} (${scheme})`;
          assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/, where);
          assert.doesNotMatch(csp, /unsafe-inline/, where);
          assert.match(await page.title(), what === "start page" ? /^Example Chat$/ : / · Example Chat$/, where);
          const logo = page.locator("header.site img");
          assert.equal(await logo.getAttribute("alt"), SITE, where);
          assert.ok((await logo.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))) > 0, `${where}: the logo loaded`);
          const button = page.locator("main .button").first();
          assert.equal(await button.evaluate((element) => getComputedStyle(element).backgroundColor), ACCENT_RGB, where);
          assert.equal(await page.getAttribute("footer a:text-is('Terms of service')", "href"), "https://example.com/terms", where);
          assert.equal(await page.getAttribute("footer a:text-is('Privacy policy')", "href"), "https://example.com/privacy", where);
          const extra = page.locator("main p.extra");
          assert.equal(await extra.innerText(), EXTRA, where);
          assert.equal(await extra.locator("b").count(), 0, `${where}: the paragraph is text, not HTML`);
          assert.deepEqual(await axeViolations(page), [], where);
          await page.context().close();
        }
      }
    });

    it("serves the start page at / with a way to /register while registration is open", async () => {
      const { page } = await open(`${porter.baseUrl}/?lang=fr`, "light");
      assert.equal(await page.textContent("h1"), SITE);
      assert.match(
        (await page.textContent("main")) ?? "",
        new RegExp(`service d’inscription du serveur XMPP \\(Jabber\\) ${attached.server.host.replace(/\./g, "\\.")}`),
      );
      await Promise.all([page.waitForURL(/\/register\?lang=fr$/), page.click("#register")]);
      assert.match((await page.textContent("h1")) ?? "", new RegExp(attached.server.host.replace(/\./g, "\\.")));
      await page.context().close();
    });

    it("without branding, names pages after the host and keeps Porter's look; / offers no /register when invites are required", async () => {
      await attached.porter.stop();
      porter = await PorterProcess.start(attached.server);
      await porter.waitForHealth(200);
      for (const scheme of SCHEMES) {
        const { page } = await open(`${porter.baseUrl}/`, scheme);
        assert.equal(await page.title(), attached.server.host);
        assert.equal(await page.textContent("h1"), attached.server.host);
        assert.equal(await page.locator("header, #register, p.extra").count(), 0);
        assert.deepEqual(await axeViolations(page), [], `plain start page (${scheme})`);
        await page.context().close();
      }
      const { page } = await open(landing(), "light");
      assert.match(await page.title(), new RegExp(` · ${attached.server.host.replace(/\./g, "\\.")}$`));
      assert.equal(
        await page
          .locator("main .button")
          .first()
          .evaluate((element) => getComputedStyle(element).backgroundColor),
        "rgb(26, 95, 180)",
      );
      await page.context().close();
    });
  });
}

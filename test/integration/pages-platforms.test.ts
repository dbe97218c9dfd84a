import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Browser, Page } from "playwright-core";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { axeViolations } from "../../harness/axe.js";
import { launchBrowser } from "../../harness/browser.js";
import { runPorter } from "../../harness/porter-cli.js";
import { serversWhere } from "../../harness/servers.js";

const AGENTS = {
  android: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  windows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  unknown: "SomeBrowser/1.0",
};
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

interface ListedApp {
  readonly name: string;
  readonly links: readonly { readonly text: string; readonly href: string }[];
}

/** The first list of apps on the page (the visitor's), and the names folded under "other devices". */
async function appsOn(page: Page): Promise<{ first: ListedApp[]; folded: string[] }> {
  return page.evaluate(() => {
    const list = document.querySelector("ul.apps");
    const first = Array.from(list?.children ?? [], (item) => ({
      name: item.querySelector("a")?.textContent ?? "",
      links: Array.from(item.querySelectorAll("a"), (link) => ({ text: link.textContent, href: link.getAttribute("href") ?? "" })).slice(1),
    }));
    const folded = Array.from(document.querySelectorAll("details ul.apps li a"), (link) => link.textContent);
    return { first, folded };
  });
}

/** Whether the app list comes before the QR code in the page. */
async function appsBeforeQrCode(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const apps = document.querySelector("ul.apps");
    const qr = document.querySelector(".qr");
    if (apps === null || qr === null) throw new Error("the page has no app list or no QR code");
    return (apps.compareDocumentPosition(qr) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
}

for (const { kind, release, label } of serversWhere({ release: "debian13" })) {
  describe(`the apps for the visitor's device first, in a real browser, on real ${label}`, () => {
    let plain: Attached;
    let withModule: Attached;
    let browser: Browser;

    before(async () => {
      plain = await startServerWithPorter(
        kind,
        { release, users: [] },
        {
          PORTER_PAGES_APPS: JSON.stringify([
            { name: "Our Android app", platforms: "Android", url: "https://apps.example/android" },
            { name: "Our desktop app", platforms: "Windows, Linux", url: "https://apps.example/desktop" },
          ]),
        },
      );
      withModule = await startServerWithPorter(kind, { release, users: [], porterModule: {} });
      await withModule.porter.waitForLog((line) => /server module is loaded/.test(line.msg));
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      await plain.destroy();
      await withModule.destroy();
    });

    const invite = (attached: Attached) => {
      const result = runPorter(["invite", "create", "--json"], attached.porter.env);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as { landing_url: string; uri: string };
    };

    const open = async (url: string, userAgent: string, viewport = PHONE) => {
      const page = await (await browser.newContext({ userAgent, viewport })).newPage();
      const response = await page.goto(url);
      assert.equal(response?.status(), 200);
      assert.match(response?.headers().vary ?? "", /User-Agent/);
      return page;
    };

    it("lists an Android phone's apps first with F-Droid and Google Play, the others folded, and the QR code last", async () => {
      const noModule = await open(invite(plain).landing_url, AGENTS.android);
      const { first, folded } = await appsOn(noModule);
      assert.deepEqual(first, [{ name: "Our Android app", links: [{ text: "Download", href: "https://apps.example/android" }] }]);
      assert.deepEqual(folded, ["Our desktop app"]);
      assert.equal(await appsBeforeQrCode(noModule), true);
      assert.deepEqual(await axeViolations(noModule), []);
      await noModule.context().close();
    });

    it("hands the invite to Conversations through Google Play's install referrer where an app can redeem it", async () => {
      const { landing_url: url, uri } = invite(withModule);
      const page = await open(url, AGENTS.android);
      const steps = page.locator("ol.steps");
      assert.equal(await steps.count(), 1, "the two steps: install, then tap");
      const { first, folded } = await appsOn(page);
      assert.deepEqual(
        first.map((app) => app.name),
        ["Conversations"],
      );
      const [fdroid, play] = first[0]?.links ?? [];
      assert.deepEqual([fdroid?.text, fdroid?.href], ["F-Droid", "https://f-droid.org/packages/eu.siacs.conversations/"]);
      const playUrl = new URL(play?.href ?? "");
      assert.equal(playUrl.searchParams.get("id"), "eu.siacs.conversations");
      assert.equal(playUrl.searchParams.get("referrer"), uri);
      assert.deepEqual(folded, ["Monal", "Siskin IM", "Dino", "Gajim", "Beagle IM"]);
      assert.equal(await steps.locator("a.button").getAttribute("href"), uri);
      assert.deepEqual(await axeViolations(page), []);
      await page.context().close();
    });

    it("lists the App Store apps first on an iPhone", async () => {
      const page = await open(invite(withModule).landing_url, AGENTS.iphone);
      const { first } = await appsOn(page);
      assert.deepEqual(
        first.map((app) => [app.name, app.links.map((link) => `${link.text} ${link.href}`)]),
        [
          ["Monal", ["App Store https://apps.apple.com/app/id317711500"]],
          ["Siskin IM", ["App Store https://apps.apple.com/app/id1153516838"]],
        ],
      );
      await page.context().close();
    });

    it("keeps the QR code before the apps on a desktop, and lists every app alike for an unknown browser", async () => {
      const desktop = await open(invite(plain).landing_url, AGENTS.windows, DESKTOP);
      assert.deepEqual(
        (await appsOn(desktop)).first.map((app) => app.name),
        ["Our desktop app"],
      );
      assert.equal(await appsBeforeQrCode(desktop), false);
      await desktop.context().close();
      const unknown = await open(invite(plain).landing_url, AGENTS.unknown, DESKTOP);
      const listed = await appsOn(unknown);
      assert.deepEqual(
        listed.first.map((app) => app.name),
        ["Our Android app", "Our desktop app"],
      );
      assert.deepEqual(listed.folded, []);
      await unknown.context().close();
    });
  });
}

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Browser, Page } from "playwright-core";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { axeViolations } from "../../harness/axe.js";
import { launchBrowser } from "../../harness/browser.js";
import { submitSignup } from "../../harness/signup-form.js";
import { runPorter } from "../../harness/porter-cli.js";
import { serversWhere } from "../../harness/servers.js";

const SCHEMES = ["light", "dark"] as const;
const PHONE = { width: 390, height: 844 };

/** The pages are the same on every server; the two current ones show them with real accounts behind. */
for (const { kind, release, label } of serversWhere({ release: "debian13" })) {
  describe(`accessible pages, in a real browser, with accounts on real ${label}`, () => {
    let attached: Attached;
    let browser: Browser;

    before(async () => {
      attached = await startServerWithPorter(
        kind,
        { release, users: [{ username: "inviter", password: "inviter-password" }] },
        { PORTER_HTTP_FORM_LIMIT: "1000" },
      );
      browser = await launchBrowser();
    });

    after(async () => {
      await browser.close();
      await attached.destroy();
    });

    const landing = (...args: string[]): string => {
      const result = runPorter(["invite", "create", "--json", ...args], attached.porter.env);
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { landing_url: string }).landing_url;
    };

    const open = async (url: string, scheme: (typeof SCHEMES)[number] = "light"): Promise<Page> => {
      const page = await (await browser.newContext({ viewport: PHONE, colorScheme: scheme })).newPage();
      await page.goto(url);
      return page;
    };

    const assertClean = async (page: Page, what: string): Promise<void> => {
      assert.deepEqual(await axeViolations(page), [], `${what}: ${page.url()}`);
    };

    it("passes axe-core on every page, in light and dark mode", async () => {
      const base = attached.porter.baseUrl;
      const pages: Record<string, string> = {
        "start page": `${base}/`,
        "open registration": `${base}/register`,
        "unknown invite": `${base}/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        "account invite": landing(),
        "contact invite": landing("--contact", `inviter@${attached.server.host}`),
        "password reset": landing("--reset", "inviter"),
      };
      for (const scheme of SCHEMES) {
        for (const [what, url] of Object.entries(pages)) {
          const page = await open(url, scheme);
          await assertClean(page, `${what} (${scheme})`);
          await page.context().close();
        }
        const refused = await open(landing(), scheme);
        await submitSignup(refused, "bad name", "short");
        assert.equal(await refused.locator("[aria-invalid=true]").count(), 2);
        await assertClean(refused, `refused form (${scheme})`);
        await submitSignup(refused, `ok-${scheme}`, "long-enough-Password-1");
        assert.match((await refused.textContent("h1")) ?? "", /ready/);
        await assertClean(refused, `success page (${scheme})`);
        await refused.context().close();
      }
    });

    it("works with the keyboard alone, with a visible focus", async () => {
      const page = await open(landing());
      const reached: string[] = [];
      for (let step = 0; step < 30 && !reached.includes("submit"); step += 1) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          if (element === null) return null;
          return { id: element.id || element.getAttribute("type") || element.tagName, outline: getComputedStyle(element).outlineStyle };
        });
        if (focused === null) continue;
        assert.notEqual(focused.outline, "none", `${focused.id} shows no focus`);
        if (["username", "password", "password_confirm", "submit"].includes(focused.id)) reached.push(focused.id);
        if (focused.id === "username") await page.keyboard.type("keys-only");
        if (focused.id === "password" || focused.id === "password_confirm") await page.keyboard.type("Typed-on-keys-2");
      }
      assert.deepEqual(reached, ["username", "password", "password_confirm", "submit"]);
      await Promise.all([page.waitForResponse((response) => response.request().method() === "POST"), page.keyboard.press("Enter")]);
      await page.waitForLoadState();
      assert.match((await page.textContent("h1")) ?? "", /ready/);
      await page.context().close();
    });

    it("lands on the first wrong field after a refused submission, without script", async () => {
      const page = await open(landing());
      assert.equal(await page.evaluate(() => document.scripts.length), 0);
      await submitSignup(page, "fine-name", "short");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "password");
      await submitSignup(page, "inviter", "long-enough-Password-1");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "username");
      assert.equal(await page.locator("p.alert[role=alert]").count(), 1);
      await page.context().close();
    });
  });
}

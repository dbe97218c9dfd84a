import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";

import type { LogoFile } from "../../../src/config/logo.js";
import { brandFrom } from "../../../src/http/pages/brand.js";
import { PageWords, PAGE_MESSAGES } from "../../../src/http/pages/words.js";
import { registerLogoRoute } from "../../../src/http/routes/logo.js";
import { registerStartPage } from "../../../src/http/routes/start-page.js";
import { buildHttpServer } from "../../../src/http/server.js";
import { BUILT_IN_LOCALES } from "../../../src/i18n/locales.js";
import { Metrics } from "../../../src/metrics/metrics.js";
import { capturingLogger } from "../../support/logs.js";

const SVG: LogoFile = { path: "logo.svg", type: "image/svg+xml", bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>') };
const SETTINGS = {
  site_name: "Example <Chat>",
  logo: SVG,
  accent_color: "#7b1fa2",
  terms_url: "https://example.com/terms",
  privacy_url: "https://example.com/privacy",
  extra_text: "Run by <b>the club</b>.",
};

async function server(settings: typeof SETTINGS | null, registrationOpen: boolean) {
  const brand = settings === null ? undefined : brandFrom(settings, "example.com");
  const words = new PageWords(new Map(BUILT_IN_LOCALES.map((locale) => [locale, PAGE_MESSAGES[locale]])), "en", brand);
  const app = buildHttpServer({ log: capturingLogger().log, metrics: new Metrics(), words });
  registerStartPage(app, { host: "example.com", words, registrationOpen });
  if (settings !== null) registerLogoRoute(app, settings.logo);
  await app.ready();
  return app;
}

describe("branded pages", () => {
  it("serve the logo at an address named by its content, typed, cached for good, and an SVG unable to run script", async () => {
    const app = await server(SETTINGS, false);
    const digest = createHash("sha256").update(SVG.bytes).digest("hex").slice(0, 16);
    const logo = await app.inject({ url: `/static/logo-${digest}.svg` });
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers["content-type"], "image/svg+xml");
    assert.equal(logo.headers["x-content-type-options"], "nosniff");
    assert.equal(logo.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(logo.headers["content-security-policy"], "default-src 'none'; style-src 'unsafe-inline'");
    assert.deepEqual(logo.rawPayload, SVG.bytes);
    assert.equal((await app.inject({ url: "/static/logo-0000000000000000.svg" })).statusCode, 404);
    await app.close();
  });

  it("show the site's name, logo, links and escaped paragraph on the start page, under a CSP that allows only its stylesheet", async () => {
    const app = await server(SETTINGS, false);
    const page = await app.inject({ url: "/", headers: { accept: "text/html" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>Example &lt;Chat&gt;<\/title>/);
    assert.match(page.body, /<header class="site"><a href="\/"><img src="\/static\/logo-[0-9a-f]{16}\.svg" alt="Example &lt;Chat&gt;"><\/a><\/header>/);
    assert.match(page.body, /<p class="extra">Run by &lt;b&gt;the club&lt;\/b&gt;\.<\/p>/);
    assert.match(page.body, /<a href="https:\/\/example\.com\/terms" rel="noopener noreferrer">Terms of service<\/a>/);
    assert.match(page.body, /<a href="https:\/\/example\.com\/privacy" rel="noopener noreferrer">Privacy policy<\/a>/);
    assert.doesNotMatch(page.body, /href="\/register"/);
    const csp = page.headers["content-security-policy"];
    assert.equal(typeof csp, "string");
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.body)?.[1] ?? "";
    assert.ok(String(csp).includes(`style-src 'sha256-${createHash("sha256").update(style).digest("base64")}'`));
    assert.doesNotMatch(String(csp), /unsafe-inline/);
    await app.close();
  });

  it("offer /register on the start page only when registration is open, in the visitor's language", async () => {
    const app = await server(null, true);
    const page = await app.inject({ url: "/?lang=de", headers: { accept: "text/html" } });
    assert.match(page.body, /<a class="button" id="register" href="\/register\?lang=de">Konto anlegen<\/a>/);
    assert.match(page.body, /<title>Porter<\/title>/);
    assert.doesNotMatch(page.body, /<header|class="extra"/);
    await app.close();
  });
});

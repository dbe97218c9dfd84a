import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { ConfigError, loadConfig } from "../../../src/config/load.js";
import { MAX_LOGO_BYTES, sniffImageType } from "../../../src/config/logo.js";
import { contrastRatio, lightenForContrast } from "../../../src/color/contrast.js";
import { brandFrom } from "../../../src/http/pages/brand.js";
import { tempDir } from "../../support/temp.js";

const REQUIRED_ENV = {
  PORTER_XMPP_DOMAIN: "invite.example.com",
  PORTER_XMPP_SECRET: "component-secret",
  PORTER_XMPP_HOST: "example.com",
  PORTER_HTTP_PUBLIC_URL: "https://invite.example.com/",
};

// The smallest valid PNG: one transparent pixel.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x1a, 0, 0, 0]), Buffer.from("WEBPVP8L")]);

function load(pages: Record<string, string>) {
  const env: Record<string, string> = { ...REQUIRED_ENV };
  for (const [key, value] of Object.entries(pages)) env[`PORTER_PAGES_${key.toUpperCase()}`] = value;
  return loadConfig({ env }).config.pages;
}

function problemsOf(pages: Record<string, string>): readonly string[] {
  try {
    load(pages);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail("the configuration was accepted");
}

function file(name: string, content: Buffer | string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

describe("pages branding settings", () => {
  it("default to none: the site is named after the host, with Porter's blue", () => {
    const pages = load({});
    assert.deepEqual(
      [pages.site_name, pages.logo, pages.accent_color, pages.terms_url, pages.privacy_url, pages.extra_text],
      [null, null, null, null, null, null],
    );
    const brand = brandFrom(pages, "example.com");
    assert.equal(brand.siteName, "example.com");
    assert.equal(brand.header, false);
    assert.match(brand.style, /background:#1a5fb4/);
  });

  it("recognise the logo's type by its content, whatever its name", () => {
    assert.equal(sniffImageType(PNG), "image/png");
    assert.equal(sniffImageType(JPEG), "image/jpeg");
    assert.equal(sniffImageType(WEBP), "image/webp");
    assert.equal(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), "image/svg+xml");
    assert.equal(
      sniffImageType(Buffer.from('\uFEFF<?xml version="1.0"?>\n<!-- logo -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg width="4">')),
      "image/svg+xml",
    );
    assert.equal(sniffImageType(Buffer.from("<html><svg></svg></html>")), undefined);
    assert.equal(sniffImageType(Buffer.from("GIF89a")), undefined);

    const logo = load({ logo: file("logo.txt", PNG) }).logo;
    assert.equal(logo?.type, "image/png");
    assert.deepEqual(logo.bytes, PNG);
  });

  it("refuse a logo that is missing, too large or no image, naming the key and the variable", () => {
    const missing = join(tempDir(), "nothing.png");
    assert.deepEqual(problemsOf({ logo: missing }), [`pages.logo (from PORTER_PAGES_LOGO): ${JSON.stringify(missing)} cannot be read (no such file)`]);
    const gif = file("logo.png", "GIF89a\x01\x00\x01\x00");
    assert.match(
      problemsOf({ logo: gif })[0] ?? "",
      /^pages\.logo \(from PORTER_PAGES_LOGO\): .* is not a PNG, JPEG, WebP or SVG image \(recognised by its content, not its name\)$/,
    );
    const large = file("large.png", Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES)]));
    assert.match(problemsOf({ logo: large })[0] ?? "", /pages\.logo .*: .* is \d+ bytes; a logo may have at most 524288 bytes \(512 KiB\)$/);
  });

  it("refuse an accent on which white button text would fall below 4.5:1, saying the contrast found", () => {
    assert.deepEqual(problemsOf({ accent_color: "#3584e4" }), [
      'pages.accent_color (from PORTER_PAGES_ACCENT_COLOR): "#3584e4" gives white button text a contrast of 3.76:1, below the 4.5:1 that WCAG AA requires; choose a darker colour',
    ]);
    assert.match(problemsOf({ accent_color: "blue" })[0] ?? "", /must be a colour written #rrggbb/);
    assert.match(problemsOf({ accent_color: "#12345" })[0] ?? "", /must be a colour written #rrggbb/);
    assert.equal(load({ accent_color: " #7B1FA2 " }).accent_color, "#7b1fa2");
  });

  it("derive a dark-mode accent that keeps links readable on the dark card", () => {
    const accent = "#0b3d0b";
    const brand = brandFrom({ ...load({}), accent_color: accent }, "example.com");
    const dark = /a\{color:(#[0-9a-f]{6})\}\.hint/.exec(brand.style)?.[1];
    assert.ok(dark !== undefined && dark !== accent);
    assert.ok(contrastRatio(dark, "#1c222c") >= 4.5);
    assert.equal(lightenForContrast("#ffffff", "#1c222c"), "#ffffff");
    // The accent itself would be too dark there.
    assert.ok(contrastRatio(accent, "#1c222c") < 4.5);
  });

  it("put the accent into the stylesheet and allow exactly that stylesheet in the CSP", () => {
    const plain = brandFrom(load({}), "example.com");
    const purple = brandFrom(load({ accent_color: "#7b1fa2" }), "example.com");
    assert.match(purple.style, /\.button\{[^}]*background:#7b1fa2/);
    assert.match(purple.style, /outline:3px solid #7b1fa2/);
    assert.notEqual(purple.csp, plain.csp);
    assert.doesNotMatch(purple.csp, /unsafe-inline/);
  });

  it("take only https links for the terms and privacy pages", () => {
    const pages = load({ terms_url: "https://example.com/terms", privacy_url: "https://example.com/privacy#data" });
    assert.deepEqual([pages.terms_url, pages.privacy_url], ["https://example.com/terms", "https://example.com/privacy#data"]);
    assert.deepEqual(problemsOf({ terms_url: "http://example.com/terms" }), [
      'pages.terms_url (from PORTER_PAGES_TERMS_URL): "http://example.com/terms" must use https: (got http:)',
    ]);
    assert.match(problemsOf({ privacy_url: "javascript:alert(1)" })[0] ?? "", /pages\.privacy_url .* must use https: \(got javascript:\)/);
    assert.match(problemsOf({ privacy_url: "not a url" })[0] ?? "", /must be a URL such as https:\/\/example\.com\/terms/);
  });

  it("limit the site name and the extra paragraph", () => {
    assert.equal(load({ site_name: "  Example Chat  " }).site_name, "Example Chat");
    assert.match(problemsOf({ site_name: "x".repeat(65) })[0] ?? "", /pages\.site_name .* must be at most 64 characters long/);
    assert.match(problemsOf({ site_name: "   " })[0] ?? "", /pages\.site_name .* must not be blank/);
    assert.equal(load({ extra_text: "Run by <b>us</b>." }).extra_text, "Run by <b>us</b>.");
    assert.match(problemsOf({ extra_text: "x".repeat(1001) })[0] ?? "", /pages\.extra_text .* must be at most 1000 characters long/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { appsFor, configuredApp, DEFAULT_APPS, downloadsFor, referrerLink } from "../../../src/http/pages/apps.js";
import { isHandheld, platformOf } from "../../../src/http/platform.js";

/** User-Agent strings as current browsers send them. */
const AGENTS = {
  android: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  firefoxAndroid: "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0",
  iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  ipadMobile: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  mac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  windows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  linux: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  chromeos: "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  curl: "curl/8.5.0",
};

describe("the visitor's platform", () => {
  it("is read from the User-Agent, Android and iOS before the systems their agents also name", () => {
    assert.equal(platformOf(AGENTS.android), "android");
    assert.equal(platformOf(AGENTS.firefoxAndroid), "android");
    assert.equal(platformOf(AGENTS.iphone), "ios");
    assert.equal(platformOf(AGENTS.ipadMobile), "ios");
    assert.equal(platformOf(AGENTS.mac), "macos");
    assert.equal(platformOf(AGENTS.windows), "windows");
    assert.equal(platformOf(AGENTS.linux), "linux");
    assert.equal(platformOf(AGENTS.chromeos), null);
    assert.equal(platformOf(AGENTS.curl), null);
    assert.equal(platformOf(undefined), null);
    assert.deepEqual(
      ["android", "ios", "macos", "windows", "linux"].map((platform) => isHandheld(platform as never)),
      [true, true, false, false, false],
    );
    assert.equal(isHandheld(null), false);
  });

  it("puts the apps for it first, in the configured order, and the rest after", () => {
    const names = (apps: readonly { name: string }[]) => apps.map((app) => app.name);
    const android = appsFor(DEFAULT_APPS, "android");
    assert.deepEqual(names(android.yours), ["Conversations"]);
    assert.deepEqual(names(android.others), ["Monal", "Siskin IM", "Dino", "Gajim", "Beagle IM"]);
    assert.deepEqual(names(appsFor(DEFAULT_APPS, "ios").yours), ["Monal", "Siskin IM"]);
    assert.deepEqual(names(appsFor(DEFAULT_APPS, "macos").yours), ["Monal", "Gajim", "Beagle IM"]);
    assert.deepEqual(names(appsFor(DEFAULT_APPS, "windows").yours), ["Gajim"]);
    assert.deepEqual(names(appsFor(DEFAULT_APPS, "linux").yours), ["Dino", "Gajim"]);
    const unknown = appsFor(DEFAULT_APPS, null);
    assert.deepEqual([unknown.yours, names(unknown.others)], [[], names(DEFAULT_APPS)]);
  });

  it("links each app's store for that platform: F-Droid and Google Play, the App Store, or the download page", () => {
    const app = (name: string) => DEFAULT_APPS.find((candidate) => candidate.name === name) ?? assert.fail(name);
    assert.deepEqual(
      downloadsFor(app("Conversations"), "android").map((download) => download.store),
      ["F-Droid", "Google Play"],
    );
    assert.deepEqual(
      downloadsFor(app("Monal"), "ios").map((download) => download.url),
      ["https://apps.apple.com/app/id317711500"],
    );
    assert.deepEqual(
      downloadsFor(app("Monal"), "macos").map((download) => download.url),
      ["https://apps.apple.com/app/id1637078500"],
    );
    assert.deepEqual(downloadsFor(app("Gajim"), "windows"), [{ store: "download", url: "https://gajim.org/download/", platform: null }]);
    // Asked from elsewhere, an app with only store links falls back to its own site.
    assert.deepEqual(downloadsFor(app("Siskin IM"), "windows"), [{ store: "download", url: "https://siskin.im/", platform: null }]);
  });

  it("hands the invite to Conversations through Google Play's install referrer, and to no app that does not read it", () => {
    const uri = "xmpp:example.com?register;preauth=TOKEN";
    const conversations = DEFAULT_APPS.find((app) => app.name === "Conversations") ?? assert.fail();
    const link = new URL(referrerLink(conversations, uri) ?? assert.fail());
    assert.equal(link.origin + link.pathname, "https://play.google.com/store/apps/details");
    assert.equal(link.searchParams.get("id"), "eu.siacs.conversations");
    assert.equal(link.searchParams.get("referrer"), uri);
    assert.deepEqual(
      DEFAULT_APPS.filter((app) => referrerLink(app, uri) !== null).map((app) => app.name),
      ["Conversations"],
    );
  });

  it("reads the platforms of an operator's app from its free text, and shows the text as written", () => {
    const app = configuredApp({ name: "Ours", platforms: "iPhone / Mac, Windows", url: "https://apps.example/ours" });
    assert.deepEqual(app.platforms, ["ios", "macos", "windows"]);
    assert.equal(app.platformLabel, "iPhone / Mac, Windows");
    assert.deepEqual(downloadsFor(app, "ios"), [{ store: "download", url: "https://apps.example/ours", platform: null }]);
    assert.deepEqual(configuredApp({ name: "Anywhere", platforms: "Everywhere", url: "https://apps.example/" }).platforms, []);
  });
});

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { describeConfig } from "../../../src/config/describe.js";
import { ConfigError, loadConfig } from "../../../src/config/load.js";
import { tempDir } from "../../support/temp.js";

const REQUIRED_ENV = {
  PORTER_XMPP_DOMAIN: "invite.example.com",
  PORTER_XMPP_SECRET: "component-secret",
  PORTER_XMPP_HOST: "example.com",
  PORTER_HTTP_PUBLIC_URL: "https://invite.example.com/",
};

function writeConfig(yaml: string): string {
  const path = join(tempDir(), "porter.yaml");
  writeFileSync(path, yaml);
  return path;
}

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail("the configuration was accepted");
}

describe("loadConfig", () => {
  it("reads the example file and applies every default", () => {
    const { config } = loadConfig({ path: "config/porter.example.yaml", env: { PORTER_XMPP_SECRET: "s3cret" } });
    assert.equal(config.xmpp.service, "xmpp://127.0.0.1:5347");
    assert.equal(config.xmpp.domain, "invite.example.com");
    assert.deepEqual(config.admins, ["admin@example.com"]);
    assert.equal(config.invites.ttl, 7 * 86_400);
    assert.deepEqual(config.http.listen, { host: "127.0.0.1", port: 5380 });
    assert.equal(config.http.public_url, "https://invite.example.com");
    assert.equal(config.oauth2.registration_key, null);
    assert.equal(config.database.path, "data/porter.sqlite");
  });

  it("runs from environment variables alone, converting their text to each key's type", () => {
    const { config, source } = loadConfig({
      path: undefined,
      env: {
        ...REQUIRED_ENV,
        PORTER_ADMINS: "Admin@Example.com, ops@example.com",
        PORTER_INVITES_ALLOW_USER_INVITES: "false",
        PORTER_INVITES_TTL: "36h",
        PORTER_HTTP_LISTEN: "[::1]:8080",
        PORTER_REGISTER_REDIRECT_WHITELIST: "example.org,bot@example.net",
        PORTER_REGISTER_REDIRECT_TEXT: "",
        PORTER_OAUTH2_REGISTRATION_KEY: "k".repeat(32) + "," + "o".repeat(40),
        PORTER_OAUTH2_REGISTRATION_TTL: "30d",
      },
    });
    assert.deepEqual(config.admins, ["admin@example.com", "ops@example.com"]);
    assert.equal(config.invites.allow_user_invites, false);
    assert.equal(config.invites.ttl, 36 * 3600);
    assert.deepEqual(config.http.listen, { host: "::1", port: 8080 });
    assert.equal(config.http.public_url, "https://invite.example.com");
    assert.deepEqual(config.register_redirect.whitelist, ["example.org", "bot@example.net"]);
    assert.equal(config.register_redirect.text, null);
    assert.deepEqual(config.oauth2.registration_key, ["k".repeat(32), "o".repeat(40)]);
    assert.equal(config.oauth2.registration_ttl, 30 * 86_400);
    assert.ok(source.overrides.includes("invites.ttl"));
  });

  it("lets a variable win over the file", () => {
    const path = writeConfig("xmpp: { domain: a.example.com, secret: abc, host: example.com }\nhttp: { public_url: https://a.example.com }\nlog: { level: warn }\n");
    const { config } = loadConfig({ path, env: { PORTER_LOG_LEVEL: "debug" } });
    assert.equal(config.log.level, "debug");
  });

  it("names every missing required key", () => {
    assert.deepEqual(problemsOf(() => loadConfig({ env: {} })), [
      "xmpp.domain: is required",
      "xmpp.secret: is required",
      "xmpp.host: is required",
      "http.public_url: is required",
    ]);
  });

  it("names unknown keys in the file and unknown variables", () => {
    const path = writeConfig("xmpp: { domain: a.example.com, secret: abc, host: example.com, port: 5 }\nhttp: { public_url: https://a.example.com }\nfrobs: 1\n");
    assert.deepEqual(problemsOf(() => loadConfig({ path, env: {} })), ["xmpp.port: unknown key", "frobs: unknown key"]);
    const env = { ...REQUIRED_ENV, PORTER_XMPP_PORT: "5" };
    assert.match(problemsOf(() => loadConfig({ env }))[0] ?? "", /^PORTER_XMPP_PORT: unknown setting/);
  });

  it("names wrong types, bad URLs and bad values, and says which variable they came from", () => {
    const path = writeConfig(
      [
        "xmpp: { service: 'http://127.0.0.1:5347', domain: 'not a domain', secret: 'sécret', host: example.com }",
        "admins: [not-a-jid]",
        "invites: { allow_user_invites: maybe, ttl: -1d }",
        "http: { public_url: 'invite.example.com', listen: 'localhost' }",
        "log: { level: loud }",
      ].join("\n"),
    );
    const problems = problemsOf(() =>
      loadConfig({ path, env: { PORTER_OAUTH2_REGISTRATION_KEY: "too-short", PORTER_OAUTH2_INITIAL_ACCESS_TOKEN: "short-token" } }),
    );
    const keys = problems.map((problem) => problem.split(":")[0]);
    assert.deepEqual(keys, [
      "xmpp.service",
      "xmpp.domain",
      "xmpp.secret",
      "admins.0",
      "invites.allow_user_invites",
      "invites.ttl",
      "http.listen",
      "http.public_url",
      "oauth2.registration_key.0 (from PORTER_OAUTH2_REGISTRATION_KEY)",
      "oauth2.initial_access_token (from PORTER_OAUTH2_INITIAL_ACCESS_TOKEN)",
      "log.level",
    ]);
    assert.ok(problems.every((problem) => !problem.includes("too-short") && !problem.includes("short-token")), "a secret's value is never echoed");
  });

  it("refuses the example's placeholder secret", () => {
    const problems = problemsOf(() => loadConfig({ path: "config/porter.example.yaml", env: {} }));
    assert.deepEqual(problems.map((p) => p.split(":")[0]), ["xmpp.secret"]);
  });

  it("reports a file that cannot be read or parsed", () => {
    assert.match(problemsOf(() => loadConfig({ path: "/nonexistent/porter.yaml", env: {} }))[0] ?? "", /cannot read the config file \(no such file\)/);
    const path = writeConfig("xmpp: [unclosed\n");
    assert.match(problemsOf(() => loadConfig({ path, env: {} }))[0] ?? "", /not valid YAML/);
    const list = writeConfig("- a\n- b\n");
    assert.match(problemsOf(() => loadConfig({ path: list, env: {} }))[0] ?? "", /must be a mapping/);
  });

  it("reads the recommended apps from the file or from JSON in a variable, and checks their links", () => {
    const path = writeConfig(
      "xmpp: { domain: a.example.com, secret: abc, host: example.com }\nhttp: { public_url: https://a.example.com }\npages:\n  apps:\n    - { name: Conversations, platforms: Android, url: 'https://play.google.com/store/apps/details?id=eu.siacs.conversations' }\n",
    );
    assert.deepEqual(loadConfig({ path, env: {} }).config.pages.apps, [
      { name: "Conversations", platforms: "Android", url: "https://play.google.com/store/apps/details?id=eu.siacs.conversations" },
    ]);
    const fromEnv = loadConfig({ env: { ...REQUIRED_ENV, PORTER_PAGES_APPS: '[{"name":"Dino","url":"https://dino.im/"}]' } });
    assert.deepEqual(fromEnv.config.pages.apps, [{ name: "Dino", platforms: "", url: "https://dino.im/" }]);
    assert.equal(loadConfig({ env: REQUIRED_ENV }).config.pages.apps, null);
    const bad = problemsOf(() => loadConfig({ env: { ...REQUIRED_ENV, PORTER_PAGES_APPS: '[{"name":"X","url":"javascript:alert(1)"}]' } }));
    assert.match(bad[0] ?? "", /^pages\.apps\.0\.url \(from PORTER_PAGES_APPS\): must use https:/);
  });

  it("takes the file from PORTER_CONFIG when no path is given", () => {
    const path = writeConfig("xmpp: { domain: b.example.com, secret: abc, host: example.com }\nhttp: { public_url: https://b.example.com }\n");
    assert.equal(loadConfig({ env: { PORTER_CONFIG: path } }).config.xmpp.domain, "b.example.com");
  });
});

describe("describeConfig", () => {
  it("masks every secret and writes durations and addresses as an operator would", () => {
    const { config } = loadConfig({
      env: {
        ...REQUIRED_ENV,
        PORTER_OAUTH2_REGISTRATION_KEY: "x".repeat(48),
        PORTER_OAUTH2_INITIAL_ACCESS_TOKEN: "initial-access-token-value",
        PORTER_HTTP_LISTEN: "[::1]:5380",
      },
    });
    const text = describeConfig(config);
    assert.ok(!text.includes("component-secret"));
    assert.ok(!text.includes("x".repeat(48)));
    assert.ok(!text.includes("initial-access-token-value"));
    assert.match(text, /initial_access_token: "\*{8}"/);
    assert.match(text, /registration_limit_window: 1h/);
    assert.match(text, /secret: "\*{8}"/);
    assert.match(text, /ttl: 7d/);
    assert.match(text, /listen: "?\[::1\]:5380"?/);
  });
});

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
    const path = writeConfig(
      "xmpp: { domain: a.example.com, secret: abc, host: example.com }\nhttp: { public_url: https://a.example.com }\nlog: { level: warn }\n",
    );
    const { config } = loadConfig({ path, env: { PORTER_LOG_LEVEL: "debug" } });
    assert.equal(config.log.level, "debug");
  });

  it("without a config file, says that none was found, then names each missing key, its variable and what it takes", () => {
    const problems = problemsOf(() => loadConfig({ env: {} }));
    assert.match(problems[0] ?? "", /^no config file was found: none was given \(--config FILE or PORTER_CONFIG\) and \/.*config\/porter\.yaml does not exist/);
    assert.deepEqual(problems.slice(1), [
      "xmpp.domain: is required, but no config file was found and PORTER_XMPP_DOMAIN is not set; it must be a domain name such as example.com",
      "xmpp.secret: is required, but no config file was found and PORTER_XMPP_SECRET is not set; it must be the secret of the server's component listener, printable ASCII without spaces",
      "xmpp.host: is required, but no config file was found and PORTER_XMPP_HOST is not set; it must be a domain name such as example.com",
      "http.public_url: is required, but no config file was found and PORTER_HTTP_PUBLIC_URL is not set; it must be a URL such as https://invite.example.com",
    ]);
  });

  it("with a config file, names the file and the variable that could set a missing key", () => {
    const path = writeConfig("xmpp: { domain: a.example.com, secret: abc, host: example.com }\n");
    assert.deepEqual(
      problemsOf(() => loadConfig({ path, env: {} })),
      [`http.public_url: is required, but neither ${path} nor PORTER_HTTP_PUBLIC_URL sets it; it must be a URL such as https://invite.example.com`],
    );
  });

  it("says what was wrong with a value, where it came from and what the key takes", () => {
    const bad = (env: Record<string, string>) => problemsOf(() => loadConfig({ env: { ...REQUIRED_ENV, ...env } }));
    // Text where a number belongs was reported as "is required"; a number over the maximum as "must be a whole number".
    assert.deepEqual(bad({ PORTER_HTTP_FORM_LIMIT: "lots" }), [
      'http.form_limit (from PORTER_HTTP_FORM_LIMIT): "lots" must be a whole number from 1 to 1000000',
    ]);
    assert.deepEqual(bad({ PORTER_HTTP_FORM_LIMIT: "99999999" }), [
      "http.form_limit (from PORTER_HTTP_FORM_LIMIT): 99999999 must be a whole number from 1 to 1000000",
    ]);
    assert.deepEqual(bad({ PORTER_HTTP_FORM_LIMIT: "0" }), ["http.form_limit (from PORTER_HTTP_FORM_LIMIT): 0 must be a whole number from 1 to 1000000"]);
    assert.deepEqual(bad({ PORTER_LOG_LEVEL: "loud" }), [
      'log.level (from PORTER_LOG_LEVEL): "loud" must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    const path = writeConfig("xmpp: { domain: a.example.com, secret: abc, host: example.com }\nhttp: { public_url: https://a.example.com, form_limit: 2.5 }\n");
    assert.deepEqual(
      problemsOf(() => loadConfig({ path, env: {} })),
      [`http.form_limit (in ${path}): 2.5 must be a whole number from 1 to 1000000`],
    );
  });

  it("refuses an initial access token no client could present, and never echoes it", () => {
    for (const token of ["with spaces in the token", "non-ascii-tökentökentöken", "tab\tseparated-token-value"]) {
      const problems = problemsOf(() => loadConfig({ env: { ...REQUIRED_ENV, PORTER_OAUTH2_INITIAL_ACCESS_TOKEN: token } }));
      assert.deepEqual(problems, [
        "oauth2.initial_access_token (from PORTER_OAUTH2_INITIAL_ACCESS_TOKEN): the value given must be printable ASCII without spaces, the characters of a Bearer token",
      ]);
    }
    const path = writeConfig(
      'xmpp: { domain: a.example.com, secret: abc, host: example.com }\nhttp: { public_url: https://a.example.com }\noauth2: { initial_access_token: "two words that are long" }\n',
    );
    assert.match(problemsOf(() => loadConfig({ path, env: {} }))[0] ?? "", /^oauth2\.initial_access_token \(in .*\): the value given must be printable ASCII/);
    assert.equal(
      loadConfig({ env: { ...REQUIRED_ENV, PORTER_OAUTH2_INITIAL_ACCESS_TOKEN: "Q2xpZW50LXRva2VuLTEyMw~+/=" } }).config.oauth2.initial_access_token,
      "Q2xpZW50LXRva2VuLTEyMw~+/=",
    );
  });

  it("refuses xmpp.domain equal to xmpp.host, whatever the case", () => {
    for (const domain of ["example.com", "Example.COM"]) {
      assert.deepEqual(
        problemsOf(() => loadConfig({ env: { ...REQUIRED_ENV, PORTER_XMPP_DOMAIN: domain } })),
        [
          'xmpp.domain (from PORTER_XMPP_DOMAIN): "example.com" must differ from xmpp.host: Porter needs a JID of its own beside the server\'s host, such as invite.example.com for example.com',
        ],
      );
    }
  });

  it("names unknown keys in the file and unknown variables", () => {
    const path = writeConfig(
      "xmpp: { domain: a.example.com, secret: abc, host: example.com, port: 5 }\nhttp: { public_url: https://a.example.com }\nfrobs: 1\n",
    );
    assert.deepEqual(
      problemsOf(() => loadConfig({ path, env: {} })),
      [
        `xmpp.port (in ${path}): unknown key; the xmpp section has service, domain, secret, host`,
        `frobs (in ${path}): unknown section; the configuration has xmpp, admins, invites, http, register_redirect, oauth2, pages, database, log`,
      ],
    );
    // Reported with the other problems, so that one pass finds them all.
    const env = { ...REQUIRED_ENV, PORTER_XMPP_PORT: "5", PORTER_REGISTER_REDIRECT_URI: "x", PORTER_LOG_LEVEL: "loud" };
    assert.deepEqual(
      problemsOf(() => loadConfig({ env })).map((problem) => problem.split(";")[0]),
      [
        "PORTER_XMPP_PORT: unknown setting",
        "PORTER_REGISTER_REDIRECT_URI: unknown setting",
        'log.level (from PORTER_LOG_LEVEL): "loud" must be one of fatal, error, warn, info, debug, trace, silent',
      ],
    );
    assert.match(problemsOf(() => loadConfig({ env }))[1] ?? "", /the register_redirect section has PORTER_REGISTER_REDIRECT_URL, /);
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
    const inFile = `(in ${path})`;
    assert.deepEqual(keys, [
      `xmpp.service ${inFile}`,
      `xmpp.domain ${inFile}`,
      `xmpp.secret ${inFile}`,
      `admins.0 ${inFile}`,
      `invites.allow_user_invites ${inFile}`,
      `invites.ttl ${inFile}`,
      `http.listen ${inFile}`,
      `http.public_url ${inFile}`,
      "oauth2.registration_key.0 (from PORTER_OAUTH2_REGISTRATION_KEY)",
      "oauth2.initial_access_token (from PORTER_OAUTH2_INITIAL_ACCESS_TOKEN)",
      `log.level ${inFile}`,
    ]);
    assert.ok(
      problems.includes(`invites.ttl ${inFile}: "-1d" must be a duration: a whole number and one of the units s, m, h, d, w, such as "7d", "12h" or "30m"`),
    );
    assert.ok(
      problems.every((problem) => !problem.includes("too-short") && !problem.includes("short-token") && !problem.includes("sécret")),
      "a secret's value is never echoed",
    );
  });

  it("refuses the example's placeholder secret", () => {
    const problems = problemsOf(() => loadConfig({ path: "config/porter.example.yaml", env: {} }));
    assert.deepEqual(problems, [
      "xmpp.secret (in config/porter.example.yaml): the value given is still the example's placeholder: set the component secret your server uses",
    ]);
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
    assert.deepEqual(bad, ['pages.apps.0.url (from PORTER_PAGES_APPS): "javascript:alert(1)" must use https: (got javascript:)']);
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

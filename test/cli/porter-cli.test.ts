import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { PORTER_CLI, runPorter as porter } from "../../harness/porter-cli.js";
import { tempDir } from "../support/temp.js";
const VALID_ENV = {
  PORTER_XMPP_DOMAIN: "invite.example.com",
  PORTER_XMPP_SECRET: "cli-test-secret",
  PORTER_XMPP_HOST: "example.com",
  PORTER_HTTP_PUBLIC_URL: "https://invite.example.com",
  PORTER_DATABASE_PATH: ":memory:",
};

describe("the porter command", () => {
  it("prints help and version and exits 0", () => {
    const help = porter(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: porter <command>/);
    assert.match(help.stdout, /config check/);
    const version = porter(["--version"]);
    assert.equal(version.code, 0);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  });

  it("exits 2 with a hint on an unknown command, an unknown option or no command", () => {
    for (const args of [["frobnicate"], ["--frob"], []]) {
      const result = porter(args);
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, /^porter: /);
      assert.equal(result.stdout, "");
    }
  });

  it("config check prints the effective config with secrets masked", () => {
    const result = porter(["config", "check"], VALID_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^# configuration is valid: no config file \(environment only\)/);
    assert.match(result.stdout, /domain: invite\.example\.com/);
    assert.ok(!result.stdout.includes("cli-test-secret"));
  });

  it("config check exits 2 with one line per problem, each naming its key", () => {
    const result = porter(["config", "check"], { ...VALID_ENV, PORTER_HTTP_PUBLIC_URL: "not a url", PORTER_INVITES_TTL: "soon" });
    assert.equal(result.code, 2);
    assert.deepEqual(
      result.stderr
        .trim()
        .split("\n")
        .map((line) => line.split(":").slice(0, 3).join(":")),
      ["porter: config: invites.ttl (from PORTER_INVITES_TTL)", "porter: config: http.public_url (from PORTER_HTTP_PUBLIC_URL)"],
    );
  });

  it("config check reads the logo: a file that is no image exits 2 naming pages.logo, an image is printed by its path", () => {
    const dir = tempDir();
    const fake = join(dir, "logo.png");
    writeFileSync(fake, "<html>not an image</html>");
    const refused = porter(["config", "check"], { ...VALID_ENV, PORTER_PAGES_LOGO: fake });
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      `porter: config: pages.logo (from PORTER_PAGES_LOGO): ${JSON.stringify(fake)} is not a PNG, JPEG, WebP or SVG image (recognised by its content, not its name)\n`,
    );
    const svg = join(dir, "logo.svg");
    writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const accepted = porter(["config", "check"], { ...VALID_ENV, PORTER_PAGES_LOGO: svg, PORTER_PAGES_ACCENT_COLOR: "#7b1fa2" });
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.ok(accepted.stdout.includes(`logo: ${svg}`), accepted.stdout);
    assert.match(accepted.stdout, /accent_color: "#7b1fa2"/);
  });

  it("config check says what is wrong with a number, where it came from and what is allowed", () => {
    for (const [value, shown] of [
      ["lots", '"lots"'],
      ["99999999", "99999999"],
    ] as const) {
      const result = porter(["config", "check"], { ...VALID_ENV, PORTER_HTTP_FORM_LIMIT: value });
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `porter: config: http.form_limit (from PORTER_HTTP_FORM_LIMIT): ${shown} must be a whole number from 1 to 1000000\n`);
    }
  });

  it("config check without any config file says that none was found before naming the missing keys", () => {
    // In an empty folder, so that no config/porter.yaml of the checkout is found.
    const result = spawnSync(process.execPath, [PORTER_CLI, "config", "check"], { cwd: tempDir(), env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" });
    assert.equal(result.status, 2);
    const lines = result.stderr.trim().split("\n");
    assert.match(
      lines[0] ?? "",
      /^porter: config: no config file was found: none was given \(--config FILE or PORTER_CONFIG\) and \/.*\/config\/porter\.yaml does not exist/,
    );
    assert.deepEqual(
      lines
        .slice(1)
        .map((line) => /^porter: config: ([\w.]+): is required, but no config file was found and (PORTER_\w+) is not set; it must /.exec(line)?.slice(1, 3)),
      [
        ["xmpp.domain", "PORTER_XMPP_DOMAIN"],
        ["xmpp.secret", "PORTER_XMPP_SECRET"],
        ["xmpp.host", "PORTER_XMPP_HOST"],
        ["http.public_url", "PORTER_HTTP_PUBLIC_URL"],
      ],
    );
  });

  it("names an unknown or incomplete option and the options the command takes, in its own words", () => {
    const expectations: [string[], string][] = [
      [["config", "check", "--bogus"], "porter: unknown option '--bogus'; porter takes --config FILE (-c), --help (-h), --version (-V) (see 'porter --help')"],
      [
        ["config", "check", "--config"],
        "porter: option '--config' needs a value; porter takes --config FILE (-c), --help (-h), --version (-V) (see 'porter --help')",
      ],
      [
        ["oauth2", "check", "x", "--bogus"],
        "porter: oauth2: unknown option '--bogus'; porter oauth2 takes --config FILE (-c), --help (-h), --json, --secret-stdin (see 'porter oauth2 --help')",
      ],
      [
        ["db", "backup", "--force=yes", "x"],
        "porter: db: option '--force' takes no value; porter db takes --config FILE (-c), --help (-h), --force (see 'porter db --help')",
      ],
    ];
    for (const [args, message] of expectations) {
      const result = porter(args, VALID_ENV);
      assert.equal(result.code, 2, args.join(" "));
      assert.equal(result.stderr, `${message}\n`);
    }
    const invite = porter(["invite", "list", "--bogus"], VALID_ENV);
    assert.match(
      invite.stderr,
      /^porter: invite: unknown option '--bogus'; porter invite takes --config FILE \(-c\), --help \(-h\), --json, --all, --limit N, /,
    );
  });

  it("config check exits 2 when the named file does not exist", () => {
    const result = porter(["config", "check", "--config", "/nonexistent/porter.yaml"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\/nonexistent\/porter\.yaml: cannot read the config file/);
  });

  it("start refuses a bad configuration before doing anything", () => {
    const result = porter(["start"], { ...VALID_ENV, PORTER_XMPP_SECRET: "" });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /xmpp\.secret/);
  });

  it("start exits 1 with a clear message when the HTTP port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = porter(["start"], { ...VALID_ENV, PORTER_HTTP_LISTEN: `127.0.0.1:${port}`, PORTER_LOG_LEVEL: "silent" });
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`http\\.listen: 127\\.0\\.0\\.1:${port} is already in use`));
    } finally {
      blocker.close();
    }
  });
});

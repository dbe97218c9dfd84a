import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";

import { runPorter as porter } from "../../harness/porter-cli.js";
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
      result.stderr.trim().split("\n").map((line) => line.split(":").slice(0, 3).join(":")),
      ["porter: config: invites.ttl (from PORTER_INVITES_TTL)", "porter: config: http.public_url (from PORTER_HTTP_PUBLIC_URL)"],
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

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { runPorter as porter } from "../../harness/porter-cli.js";

const ENV = {
  PORTER_XMPP_DOMAIN: "invite.example.com",
  PORTER_XMPP_SECRET: "cli-test-secret",
  PORTER_XMPP_HOST: "example.com",
  PORTER_HTTP_PUBLIC_URL: "https://invite.example.com",
  PORTER_DATABASE_PATH: ":memory:",
  PORTER_LOG_LEVEL: "silent",
};

describe("porter oauth2", () => {
  it("prints its help", () => {
    const help = porter(["oauth2", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /porter oauth2 check CLIENT_ID/);
  });

  it("exits 2 on bad usage", () => {
    for (const args of [[], ["frob"], ["check"], ["revoke", "a", "b"]]) {
      const result = porter(["oauth2", ...args], ENV);
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, /^porter: oauth2: /);
    }
  });

  it("exits 2 when client registration is not configured", () => {
    const result = porter(["oauth2", "check", "x.y.z"], ENV);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /oauth2\.registration_key/);
  });

  it("refuses junk with exit 1 and says why", () => {
    const env = { ...ENV, PORTER_OAUTH2_REGISTRATION_KEY: "k".repeat(40) };
    const check = porter(["oauth2", "check", "not-a-client"], env);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /refused: not a client_id issued by Porter/);
    const revoke = porter(["oauth2", "revoke", "not-a-client"], env);
    assert.equal(revoke.code, 1);
    assert.match(revoke.stderr, /not a client_id registered on this host/);
  });
});

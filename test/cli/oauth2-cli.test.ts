import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";

import { runPorter as porter } from "../../harness/porter-cli.js";
import { ClientRegistry } from "../../src/oauth2/client-registry.js";
import { tempDir } from "../support/temp.js";

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

  it("keeps a revoked client refused under every spelling of its client_id", () => {
    const key = "k".repeat(40);
    const env = { ...ENV, PORTER_OAUTH2_REGISTRATION_KEY: key, PORTER_DATABASE_PATH: join(tempDir(), "porter.sqlite") };
    // Registration is stateless: a registry with the same key and host issues the daemon's clients.
    const issued = new ClientRegistry({ keys: [key], host: "example.com", ttl: null, denylist: { isRevoked: () => false, revoke: () => true } }).register({
      client_name: "App",
      client_uri: "https://app.example/",
      redirect_uris: ["https://app.example/cb"],
    });
    // The signature's last character carries 4 bits: its 2 spare bits give three more spellings of the same bytes.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(issued.clientId.slice(-1));
    const spellings = [issued.clientId, ...[1, 2].map((spare) => issued.clientId.slice(0, -1) + (alphabet[last ^ spare] ?? ""))];
    assert.equal(porter(["oauth2", "check", issued.clientId], env).code, 0);
    const revoke = porter(["oauth2", "revoke", issued.clientId], env);
    assert.equal(revoke.code, 0, revoke.stderr);
    for (const clientId of spellings) {
      const check = porter(["oauth2", "check", clientId], env);
      assert.equal(check.code, 1, `${clientId.slice(-4)}: ${check.stdout}`);
      assert.match(check.stdout, /^refused: /);
    }
  });
});

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { describeConfig } from "../../../src/config/describe.js";
import { ConfigError, loadConfig } from "../../../src/config/load.js";
import { configWarnings } from "../../../src/config/warnings.js";
import { testConfig } from "../../support/config.js";
import { tempDir } from "../../support/temp.js";

const ENV = {
  PORTER_XMPP_DOMAIN: "invite.example.com",
  PORTER_XMPP_SECRET: "a-real-secret",
  PORTER_XMPP_HOST: "example.com",
  PORTER_HTTP_PUBLIC_URL: "https://invite.example.com",
};
const emptyFile = join(tempDir(), "empty.yaml");
writeFileSync(emptyFile, "");

const fromEnv = (value: string) => loadConfig({ path: emptyFile, env: { ...ENV, PORTER_HTTP_TRUST_PROXY: value } }).config.http.trust_proxy;

const trustOf = (value: unknown) =>
  testConfig({ http: { listen: "127.0.0.1:0", public_url: "https://invite.example.com", trust_proxy: value } }).http.trust_proxy;

describe("http.trust_proxy", () => {
  it("takes a number of proxies or their addresses, from YAML or a variable", () => {
    assert.deepEqual(trustOf(undefined), { mode: "none" });
    assert.deepEqual(trustOf(false), { mode: "none" });
    assert.deepEqual(trustOf(0), { mode: "none" });
    assert.deepEqual(trustOf(2), { mode: "hops", hops: 2 });
    assert.deepEqual(trustOf(["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "loopback"]), {
      mode: "addresses",
      addresses: ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "loopback"],
    });
    assert.deepEqual(trustOf(true), { mode: "all" });
    assert.deepEqual(fromEnv("1"), { mode: "hops", hops: 1 }, "1 is one proxy, not true");
    assert.deepEqual(fromEnv("10.0.0.0/8, 127.0.0.1"), { mode: "addresses", addresses: ["10.0.0.0/8", "127.0.0.1"] });
    assert.deepEqual(fromEnv("false"), { mode: "none" });
    assert.deepEqual(fromEnv(""), { mode: "none" });
    assert.deepEqual(fromEnv("true"), { mode: "all" });
  });

  it("refuses what is neither, naming the key and the bad entry", () => {
    for (const value of ["10.0.0.0/33", "proxy.example.com", "1.5", "-1", "99", "10.0.0.1,nope"]) {
      assert.throws(
        () => fromEnv(value),
        (err: unknown) =>
          err instanceof ConfigError && err.problems.length === 1 && /^http\.trust_proxy \(from PORTER_HTTP_TRUST_PROXY\): /.test(err.problems[0] ?? ""),
        value,
      );
    }
    assert.throws(() => trustOf({ hops: 1 }), /"trust_proxy"/);
    assert.throws(() => trustOf([1]), /"trust_proxy"/);
  });

  it("is printed by config check as it is written", () => {
    const config = testConfig({ http: { listen: "127.0.0.1:0", public_url: "https://invite.example.com", trust_proxy: "1" } });
    assert.match(describeConfig(config), /^ {2}trust_proxy: 1$/m);
    const listed = testConfig({ http: { listen: "127.0.0.1:0", public_url: "https://invite.example.com", trust_proxy: "127.0.0.1" } });
    assert.match(describeConfig(listed), /^ {2}trust_proxy:\n {4}- 127\.0\.0\.1$/m);
  });

  it("warns about true always, and about a number of proxies when Porter listens beyond loopback", () => {
    const warningsFor = (trust: unknown, listen: string) =>
      configWarnings(testConfig({ http: { listen, public_url: "https://invite.example.com", trust_proxy: trust } })).map((warning) => warning.key);
    assert.deepEqual(warningsFor(true, "127.0.0.1:5380"), ["http.trust_proxy"]);
    assert.deepEqual(warningsFor(1, "0.0.0.0:5380"), ["http.trust_proxy"]);
    assert.deepEqual(warningsFor(1, "127.0.0.1:5380"), []);
    assert.deepEqual(warningsFor("172.30.0.1", "0.0.0.0:5380"), []);
    assert.deepEqual(warningsFor(false, "0.0.0.0:5380"), []);
  });
});

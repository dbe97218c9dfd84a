import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { App } from "../../../src/app.js";
import { clientKey } from "../../../src/http/rate-limit.js";
import { DEFAULT_CAPACITY, RateLimiter } from "../../../src/limits/rate-limiter.js";
import { testConfig } from "../../support/config.js";
import { capturingLogger } from "../../support/logs.js";

describe("per-key rate limit", () => {
  it("allows the limit per window and key, then refuses until the window passes", () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(3, 1000, { now: () => clock.now });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.attempt("a")),
      [true, true, true, false],
    );
    assert.equal(limiter.attempt("b"), true, "another key has its own count");
    clock.now = 999;
    assert.equal(limiter.attempt("a"), false);
    assert.equal(limiter.retryAfterSeconds("a"), 1);
    clock.now = 1000;
    assert.equal(limiter.attempt("a"), true);
  });

  it("remembers at most its capacity of keys, forgetting one per new key, whatever the number of clients", () => {
    const limiter = new RateLimiter(1, 3_600_000, { now: () => 0 });
    const clients = 100_000;
    for (let i = 0; i < clients; i++) {
      limiter.attempt(`198.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`);
      // Checked on every attempt: the map never grows past the cap, not even between sweeps.
      if (limiter.size > DEFAULT_CAPACITY) assert.fail(`${limiter.size} keys after ${i + 1} clients`);
    }
    assert.equal(limiter.size, DEFAULT_CAPACITY);
    // Exactly one key forgotten per new key past the cap: each attempt does a bounded amount of work.
    assert.equal(limiter.evictions, clients - DEFAULT_CAPACITY);
  });

  it("forgets the key unused for longest, so active clients keep their count", () => {
    const limiter = new RateLimiter(1, 3_600_000, { capacity: 2, now: () => 0 });
    assert.equal(limiter.attempt("active"), true);
    limiter.attempt("idle");
    assert.equal(limiter.attempt("active"), false, "used again: now the most recent");
    limiter.attempt("newcomer");
    assert.equal(limiter.size, 2);
    assert.equal(limiter.attempt("active"), false, "still over its limit: idle was forgotten instead");
    assert.equal(limiter.retryAfterSeconds("idle"), 0);
  });
});

describe("client keys", () => {
  it("counts IPv4 clients per address, IPv4-mapped IPv6 as IPv4, and IPv6 clients per /64", () => {
    assert.equal(clientKey("203.0.113.7"), "203.0.113.7");
    assert.equal(clientKey("::ffff:203.0.113.7"), "203.0.113.7");
    assert.equal(clientKey("::FFFF:cb00:7107"), "203.0.113.7");
    assert.equal(clientKey("2001:db8:1:2::1"), "2001:db8:1:2::/64");
    assert.equal(clientKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
    assert.equal(clientKey("2001:DB8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
    assert.notEqual(clientKey("2001:db8:1:3::1"), clientKey("2001:db8:1:2::1"));
    assert.equal(clientKey("::1"), "0:0:0:0::/64");
    assert.equal(clientKey("fe80::1%eth0"), "fe80:0:0:0::/64");
    assert.equal(clientKey("64:ff9b::192.0.2.1"), "64:ff9b:0:0::/64");
  });
});

describe("the form limit behind a reverse proxy (http.trust_proxy)", () => {
  const PROXY = "10.0.0.1";
  let app: App;
  let csrf: string;
  // A valid form, so that each post gets as far as the server (which is not there: 503) and counts.
  const post = (forwardedFor: string, remoteAddress = PROXY) =>
    app.http.inject({
      method: "POST",
      url: "/register",
      remoteAddress,
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor },
      payload: new URLSearchParams({ username: "someone", password: "long-Password-1", password_confirm: "long-Password-1", csrf }).toString(),
    });

  const settings = [
    // A hop count trusts whatever connects: a client that bypasses the proxy still picks its address.
    { name: "one hop, as a variable gives it", trust: "1", direct: [503, 503, 503, 503] },
    { name: "the proxy's address", trust: [PROXY], direct: [503, 503, 503, 429] },
    { name: "the proxy's range", trust: "10.0.0.0/8", direct: [503, 503, 503, 429] },
  ] as const;
  for (const { name, trust, direct } of settings) {
    describe(name, () => {
      before(async () => {
        const config = testConfig({
          http: { listen: "127.0.0.1:0", public_url: "https://invite.example.com", trust_proxy: trust, form_limit: 3 },
          invites: { registration_invite_only: false },
        });
        app = new App({ config, log: capturingLogger().log });
        const page = await app.http.inject({ url: "/register" });
        csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
        assert.notEqual(csrf, "");
      });
      after(() => app.stop());

      it("counts the address the proxy appended, whatever the client wrote before it", async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await post(`192.0.2.${i}, 203.0.113.50`)).statusCode);
        // Three posts are counted (and reach for a server that is not there), then the address is over its limit.
        assert.deepEqual(statuses, [503, 503, 503, 429, 429]);
        assert.equal((await post("203.0.113.51")).statusCode, 503, "another client has its own count");
      });

      it("counts a client that reaches Porter directly by the header only when a hop count is trusted", async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await post(`192.0.2.${i}`, "198.51.100.9")).statusCode);
        assert.deepEqual(statuses, direct);
      });
    });
  }
});

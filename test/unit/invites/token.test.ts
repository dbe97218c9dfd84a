import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";

import { hashToken, isWellFormedToken, newToken } from "../../../src/invites/token.js";

const NOW = 1_796_000_000;

describe("invite tokens", () => {
  it("are well formed and never repeat, across many refills of the random pool", () => {
    const tokens = Array.from({ length: 1000 }, () => newToken(NOW));
    for (const token of tokens) assert.ok(isWellFormedToken(token), token);
    assert.equal(new Set(tokens).size, tokens.length);
  });

  it("carry their time in 4 bytes and 23 random bytes, which are not all zero (the pool is filled before it is used)", () => {
    for (let n = 0; n < 300; n++) {
      const token = newToken(NOW + n);
      assert.equal(token.length, 36);
      const bytes = Buffer.from(token, "base64url");
      assert.equal(bytes.length, 27);
      assert.equal(bytes.readUInt32BE(0), NOW + n);
      assert.ok(bytes.subarray(4).some((byte) => byte !== 0));
    }
  });

  it("keep their time stamp past 2106, modulo 2^32", () => {
    const bytes = Buffer.from(newToken(2 ** 32 + 5), "base64url");
    assert.equal(bytes.readUInt32BE(0), 5);
  });

  it("are stored as their time stamp and 28 bytes of their SHA-256, so that later tokens sort after earlier ones", () => {
    const early = newToken(NOW);
    const late = newToken(NOW + 1);
    const key = hashToken(early);
    const digest = createHash("sha256").update(early).digest();
    assert.equal(key.length, 32);
    assert.equal(key.readUInt32BE(0), NOW);
    assert.deepEqual(key.subarray(4), digest.subarray(0, 28));
    assert.ok(Buffer.compare(key, hashToken(late)) < 0);
  });

  it("of the earlier shape (32 characters) are still accepted, and stored as their whole SHA-256", () => {
    const earlier = Buffer.alloc(24, 7).toString("base64url");
    assert.equal(earlier.length, 32);
    assert.ok(isWellFormedToken(earlier));
    assert.deepEqual(hashToken(earlier), createHash("sha256").update(earlier).digest());
  });

  it("refuse other lengths and characters outside base64url", () => {
    const token = newToken(NOW);
    for (const text of [
      "",
      token.slice(0, 31),
      token.slice(0, 33),
      token.slice(0, 35),
      `${token}A`,
      `${token.slice(0, 35)}=`,
      `${token.slice(0, 35)}+`,
      `${token.slice(0, 35)}/`,
    ]) {
      assert.equal(isWellFormedToken(text), false, text);
    }
  });
});

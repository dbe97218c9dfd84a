import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { isWellFormedToken, newToken } from "../../../src/invites/token.js";

describe("invite tokens", () => {
  it("are well formed and never repeat, across many refills of the random pool", () => {
    const tokens = Array.from({ length: 1000 }, () => newToken());
    for (const token of tokens) assert.ok(isWellFormedToken(token), token);
    assert.equal(new Set(tokens).size, tokens.length);
  });

  it("carry 24 bytes each, which are not all zero (the pool is filled before it is used)", () => {
    for (let n = 0; n < 300; n++) {
      const bytes = Buffer.from(newToken(), "base64url");
      assert.equal(bytes.length, 24);
      assert.ok(bytes.some((byte) => byte !== 0));
    }
  });
});

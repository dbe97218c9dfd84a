import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RateLimiter } from "../../../src/http/rate-limit.js";

describe("per-address rate limit", () => {
  it("allows the limit per window and address, then refuses until the window passes", () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(3, 1000, () => clock.now);
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.attempt("a")), [true, true, true, false]);
    assert.equal(limiter.attempt("b"), true, "another address has its own count");
    clock.now = 999;
    assert.equal(limiter.attempt("a"), false);
    clock.now = 1000;
    assert.equal(limiter.attempt("a"), true);
  });
});

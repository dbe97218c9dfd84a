import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { backoffDelay, REFUSED_BACKOFF, TRANSIENT_BACKOFF } from "../../../src/xmpp/backoff.js";

describe("reconnect backoff", () => {
  it("doubles from the initial delay up to the cap", () => {
    const top = () => 1;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => backoffDelay(TRANSIENT_BACKOFF, attempt, top)),
      [250, 500, 1000, 2000, 4000, 5000, 5000, 5000],
    );
  });

  it("keeps at least half of each step, so jitter never collapses to zero", () => {
    assert.equal(
      backoffDelay(REFUSED_BACKOFF, 1, () => 0),
      2500,
    );
    assert.equal(
      backoffDelay(REFUSED_BACKOFF, 20, () => 0),
      30_000,
    );
    assert.equal(
      backoffDelay(REFUSED_BACKOFF, 20, () => 1),
      60_000,
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { formatDuration, parseDuration } from "../../../src/config/duration.js";

describe("durations", () => {
  it("parses each unit into seconds", () => {
    assert.equal(parseDuration("45s"), 45);
    assert.equal(parseDuration("30m"), 1800);
    assert.equal(parseDuration("12h"), 43_200);
    assert.equal(parseDuration(" 7d "), 604_800);
    assert.equal(parseDuration("2w"), 1_209_600);
  });

  it("refuses zero, negatives, fractions, unknown units and bare numbers", () => {
    for (const text of ["0d", "-1d", "1.5h", "3y", "10", "", "d", "7 days"]) assert.equal(parseDuration(text), undefined, text);
  });

  it("formats back in the largest exact unit", () => {
    assert.equal(formatDuration(604_800), "7d");
    assert.equal(formatDuration(5400), "90m");
    assert.equal(formatDuration(61), "61s");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { limitHeapGrowth } from "../../../src/cli/heap-growth.js";

describe("heap growth limit", () => {
  it("leaves a growing percent given to node by the operator alone", () => {
    assert.equal(limitHeapGrowth(["--heap-growing-percent=20"]), false);
    assert.equal(limitHeapGrowth(["--enable-source-maps", "--heap_growing_percent", "80"]), false);
  });

  it("applies its own otherwise, next to other node options", () => {
    assert.equal(limitHeapGrowth([]), true);
    assert.equal(limitHeapGrowth(["--max-old-space-size=512", "--heap-growing-percentage-is-no-flag"]), true);
  });
});

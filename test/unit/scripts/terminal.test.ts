import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { colourFor, style } from "../../../scripts/terminal.js";

describe("colour in the scripts' output", () => {
  it("is used on a terminal only, and never with NO_COLOR set to anything", () => {
    assert.equal(colourFor({ isTTY: true }, {}), true);
    assert.equal(colourFor({ isTTY: false }, {}), false);
    assert.equal(colourFor({}, {}), false);
    assert.equal(colourFor({ isTTY: true }, { NO_COLOR: "1" }), false);
    assert.equal(colourFor({ isTTY: true }, { NO_COLOR: "0" }), false);
    // no-color.org: an empty NO_COLOR does not count.
    assert.equal(colourFor({ isTTY: true }, { NO_COLOR: "" }), true);
  });

  it("styles text with ANSI codes only when colour is on", () => {
    assert.equal(style(false).bold("Label"), "Label");
    assert.equal(style(false).dim("note"), "note");
    assert.equal(style(true).bold("Label"), "\x1b[1mLabel\x1b[22m");
    assert.equal(style(true).dim("note"), "\x1b[2mnote\x1b[22m");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { renderIndex } from "../../../scripts/screenshot-index.js";
import { inLanguage, PAGES } from "../../../scripts/screenshot-pages.js";
import { LANGUAGES, screenshotFile, VIEWPORTS } from "../../../scripts/screenshot-views.js";

describe("npm run screenshots' plan", () => {
  it("asks for the language in the address, keeping what is there", () => {
    assert.equal(inLanguage("http://127.0.0.1:5380/register", "de"), "http://127.0.0.1:5380/register?lang=de");
    assert.equal(inLanguage("http://127.0.0.1:5380/register?lang=en&x=1", "fr"), "http://127.0.0.1:5380/register?lang=fr&x=1");
  });

  it("names every shot <page>-<lang>-<viewport>.png, each once, and indexes them all", () => {
    const files = PAGES.flatMap((page) => LANGUAGES.flatMap((language) => VIEWPORTS.map((viewport) => screenshotFile(page.name, language, viewport))));
    assert.equal(new Set(files).size, PAGES.length * 3 * 2);
    for (const file of files) assert.match(file, /^[a-z-]+-(en|de|fr)-(phone|desktop)\.png$/);
    const index = renderIndex(PAGES, "Prosody 13");
    for (const file of files) assert.ok(index.includes(`(${file})`), `${file} is not in the index`);
  });
});

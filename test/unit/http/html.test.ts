import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { html, Html } from "../../../src/http/pages/html.js";

describe("html templates", () => {
  it("escapes every interpolated string, in text and in attributes", () => {
    const hostile = `"><script>alert('x')</script>&`;
    const out = html`<p title="${hostile}">${hostile}</p>`.value;
    assert.ok(!out.includes("<script>"));
    assert.equal(
      out,
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it("inserts already-built Html as is", () => {
    const inner = html`<b>${"<i>"}</b>`;
    assert.equal(html`<p>${inner}${[new Html("<br>")]}</p>`.value, "<p><b>&lt;i&gt;</b><br></p>");
  });
});

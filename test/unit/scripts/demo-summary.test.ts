import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

import { renderSummary, shellCommand, shownPath } from "../../../scripts/demo-summary.js";
import { style } from "../../../scripts/terminal.js";

describe("the demo's summary", () => {
  it("quotes command words so that a shell reads them back unchanged", () => {
    const words = ["curl", "-d", `{"name":"it's"}`, "Content-Type: application/json", "demo/porter.yaml", "a$b `c`"];
    const line = shellCommand(words);
    assert.equal(line.split(" ")[0], "curl");
    assert.match(line, / demo\/porter\.yaml /, "safe words stay bare");
    const echoed = spawnSync("sh", ["-c", `printf '%s\\n' ${line}`], { encoding: "utf8" });
    assert.equal(echoed.stdout, `${words.join("\n")}\n`);
  });

  it("shows paths inside the current folder relative to it, others in full", () => {
    assert.equal(shownPath("/work/porter/demo/porter.yaml", "/work/porter"), "demo/porter.yaml");
    assert.equal(shownPath("/opt/porter/dist/src/cli/porter.js", "/work/porter"), "/opt/porter/dist/src/cli/porter.js");
    assert.equal(shownPath("/work/porter", "/work/porter"), "/work/porter");
  });

  it("puts each thing to try behind its label, bold only with colour", () => {
    const summary = {
      server: "Prosody 0.12.3",
      invite: { url: "http://127.0.0.1:5380/invite/T", expires: "2026-12-09T12:00:00Z", qr: "QR\n" },
      registerUrl: "http://127.0.0.1:5380/register",
      inviteCommand: "node porter.js invite create",
      oauth2Command: "curl http://127.0.0.1:5380/oauth2/register",
      c2sPort: 5222,
      accounts: ["admin@localhost / pw (admin)"],
      component: "invite.localhost",
      files: ["demo/porter.yaml", "demo/porter.log"],
    };
    const plain = renderSummary(summary, style(false));
    assert.match(plain, /^ {2}http:\/\/127\.0\.0\.1:5380\/invite\/T\nQR\n\n/m);
    assert.match(plain, /^Open registration {2,}http:\/\/127\.0\.0\.1:5380\/register$/m);
    assert.match(plain, /^More invites {2,}node porter\.js invite create$/m);
    assert.match(plain, /^An OAuth2 client {2,}curl /m);
    assert.ok(!plain.includes("\x1b"));
    assert.ok(renderSummary(summary, style(true)).includes("\x1b[1mMore invites"));
  });
});

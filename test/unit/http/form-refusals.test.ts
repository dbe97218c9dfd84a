import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { App } from "../../../src/app.js";
import { CsrfTokens } from "../../../src/http/csrf.js";
import { testConfig } from "../../support/config.js";
import { capturingLogger } from "../../support/logs.js";

const PUBLIC = "https://invite.example.com";
const PASSWORD = "long-Password-1";

describe("form tokens", () => {
  it("tell a token that is too old from one that was never issued here", () => {
    const clock = { now: 1_800_000_000 };
    const tokens = new CsrfTokens(() => clock.now);
    const token = tokens.issue("register");
    assert.equal(tokens.verify("register", token), "valid");
    assert.equal(tokens.verify("/invite/other", token), "invalid", "another page's token");
    assert.equal(new CsrfTokens(() => clock.now).verify("register", token), "invalid", "issued before a restart");
    assert.equal(tokens.verify("register", "garbage"), "invalid");
    assert.equal(tokens.verify("register", undefined), "invalid");
    clock.now += 2 * 3600 + 1;
    assert.equal(tokens.verify("register", token), "expired");
  });
});

describe("refused forms", () => {
  let app: App;
  let csrf: string;
  const logs = capturingLogger();
  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    app.http.inject({
      method: "POST",
      url: "/register?lang=de",
      remoteAddress: "192.0.2.7",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html", ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  const refusals = () => logs.lines().filter((line) => line.msg === "form refused");

  before(async () => {
    const config = testConfig({ http: { listen: "127.0.0.1:0", public_url: PUBLIC, form_limit: 2 }, invites: { registration_invite_only: false } });
    app = new App({ config, log: logs.log });
    const page = await app.http.inject({ url: "/register" });
    csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    assert.notEqual(csrf, "");
  });
  after(() => app.stop());

  it("say that another site sent the form, or that its token is not Porter's, each with one log line naming route and reason only", async () => {
    const fromElsewhere = await post({ username: "mallory", password: PASSWORD, password_confirm: PASSWORD, csrf }, { origin: "https://evil.example" });
    assert.equal(fromElsewhere.statusCode, 403);
    assert.match(fromElsewhere.body, /von einer anderen Website gesendet/);
    const forged = await post({ username: "mallory", password: PASSWORD, password_confirm: PASSWORD, csrf: `${csrf.split(".")[0] ?? ""}.forged` });
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /Sicherheitscode dieses Formulars wurde nicht erkannt/);
    assert.doesNotMatch(forged.body, /länger als/);
    assert.deepEqual(
      refusals().map(({ route, reason }) => ({ route, reason })),
      [
        { route: "/register", reason: "origin" },
        { route: "/register", reason: "token-invalid" },
      ],
    );
    const text = JSON.stringify(refusals());
    for (const secret of ["192.0.2.7", "mallory", csrf, PASSWORD]) assert.ok(!text.includes(secret), `the log line has no ${secret}`);
  });

  it("count only attempts that reach the server against http.form_limit, and log the refusal once", async () => {
    const before = refusals().length;
    for (const [username, password, confirm] of [
      ["Bad Name", PASSWORD, PASSWORD],
      ["someone", "short", "short"],
      ["someone", PASSWORD, "typo"],
      ["someone", "someone-Password", "someone-Password"],
    ] as const) {
      assert.equal((await post({ username, password, password_confirm: confirm, csrf })).statusCode, 422, `${username} ${password}`);
    }
    // No server is connected: an admitted attempt ends in 503, after it was counted.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post({ username: "someone", password: PASSWORD, password_confirm: PASSWORD, csrf })).statusCode);
    assert.deepEqual(statuses, [503, 503, 429]);
    const limited = refusals().slice(before);
    assert.deepEqual(
      limited.map(({ route, reason }) => ({ route, reason })),
      [{ route: "/register", reason: "rate-limit" }],
    );
    assert.ok(!JSON.stringify(limited).includes("192.0.2.7"));
  });
});

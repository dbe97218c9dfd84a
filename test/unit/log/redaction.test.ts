import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { capturingLogger } from "../../support/logs.js";

describe("log redaction", () => {
  it("removes secrets wherever they sit in a log call's fields", () => {
    const { log, text, lines } = capturingLogger();
    log.info({ secret: "S1-component", password: "S2-password", token: "S3-token" }, "top level");
    log.info({ config: { xmpp: { secret: "S4-nested" }, oauth2: { registration_key: "S5-key" } } }, "nested");
    log.child({ request: { password_confirm: "S6-confirm", client_secret: "S7-client" } }).warn("child bindings");
    log.info({ req: { headers: { authorization: "Bearer S8-bearer", cookie: "sid=S9-cookie" } } }, "headers");
    const output = text();
    for (let n = 1; n <= 9; n++) assert.ok(!output.includes(`S${n}-`), `secret S${n} leaked: ${output}`);
    assert.equal(lines().length, 4);
    assert.equal((lines()[0] as { secret: string }).secret, "[redacted]");
  });
});

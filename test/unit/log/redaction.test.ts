import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { CENSOR, redactLine } from "../../../src/log/redaction.js";
import { capturingLogger } from "../../support/logs.js";

describe("log redaction", () => {
  it("removes secrets wherever they sit in a log call's fields", () => {
    const { log, text, lines } = capturingLogger();
    log.info({ secret: "S1-component", password: "S2-password", token: "S3-token" }, "top level");
    log.info({ config: { xmpp: { secret: "S4-nested" }, oauth2: { registration_key: "S5-key" } } }, "nested");
    log.child({ request: { password_confirm: "S6-confirm", client_secret: "S7-client" } }).warn("child bindings");
    log.info({ req: { headers: { authorization: "Bearer S8-bearer", cookie: "sid=S9-cookie" } } }, "headers");
    log.info({ a: { b: { c: { d: [{ key: "S10-deep" }] } } }, res: { headers: { "set-cookie": ["S11-set"] } } }, "deeper than before");
    log.error(Object.assign(new Error("failed"), { token: "S12-error-field" }), "an error with a field");
    const output = text();
    for (let n = 1; n <= 12; n++) assert.ok(!output.includes(`S${n}-`), `secret S${n} leaked: ${output}`);
    assert.equal(lines().length, 6);
    assert.equal((lines()[0] as { secret: string }).secret, CENSOR);
  });

  it("keeps everything else of a line, in its order", () => {
    const { log, lines } = capturingLogger();
    log.child({ subsystem: "xmpp" }).info({ node: "urn:xmpp:invite#invite", account: { name: "alice", password: "p" }, n: 3 }, "done");
    const [line] = lines();
    assert.deepEqual(Object.keys(line ?? {}), ["level", "time", "name", "subsystem", "node", "account", "n", "msg"]);
    assert.deepEqual(line?.account, { name: "alice", password: CENSOR });
    assert.equal(line?.node, "urn:xmpp:invite#invite");
  });

  it("leaves alone a line that only mentions a secret's name in a value", () => {
    const line = `${JSON.stringify({ level: 30, msg: "the password was wrong", note: "key" })}\n`;
    assert.equal(redactLine(line), line);
  });

  it("drops a line it cannot read rather than let it through", () => {
    const out = redactLine('{"password":"S13-broken"\n');
    assert.ok(!out.includes("S13-"));
    assert.match(out, /could not be read/);
    assert.ok(out.endsWith("\n"));
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";

import { registerHealthRoute, registerMetricsRoute } from "../../../src/http/routes/health.js";
import { buildHttpServer } from "../../../src/http/server.js";
import { Metrics } from "../../../src/metrics/metrics.js";
import { guarded } from "../../../src/store/errors.js";
import { capturingLogger } from "../../support/logs.js";

describe("HTTP server", () => {
  let app: FastifyInstance;
  let xmppOnline = true;
  let databaseHealthy = true;
  const metrics = new Metrics();
  const logs = capturingLogger();

  before(async () => {
    app = buildHttpServer({ log: logs.log, metrics, bodyLimit: 1024 });
    registerHealthRoute(app, { xmppOnline: () => xmppOnline, databaseHealthy: () => databaseHealthy, version: "9.9.9" });
    registerMetricsRoute(app, metrics);
    app.post("/echo", (request) => Promise.resolve({ got: request.body }));
    app.get("/crash/:token", () => {
      throw new Error("kaboom");
    });
    // A real SqliteError, raised as a store raises it: the file refuses writes, as on a read-only mount.
    const readOnly = new Database(":memory:");
    readOnly.exec("CREATE TABLE things (name TEXT)");
    readOnly.pragma("query_only = 1");
    app.post("/write/:token", () => {
      guarded(() => readOnly.prepare("INSERT INTO things VALUES (?)").run("x"));
      return "written";
    });
    await app.ready();
  });
  after(() => app.close());

  it("reports health: 200 with the stream up, 503 with it down or the database failing", async () => {
    const up = await app.inject({ url: "/healthz" });
    assert.equal(up.statusCode, 200);
    assert.deepEqual(up.json(), { status: "ok", xmpp: "up", database: "ok", version: "9.9.9" });
    xmppOnline = false;
    const down = await app.inject({ url: "/healthz" });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json<{ xmpp: string }>().xmpp, "down");
    xmppOnline = true;
    databaseHealthy = false;
    assert.equal((await app.inject({ url: "/healthz" })).statusCode, 503);
    databaseHealthy = true;
  });

  it("serves Prometheus metrics that count requests by route pattern and status", async () => {
    await app.inject({ url: "/healthz" });
    await app.inject({ url: "/no/such/page" });
    const res = await app.inject({ url: "/metrics" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain/);
    assert.match(res.body, /porter_xmpp_stream_up 0/);
    assert.match(res.body, /porter_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
    assert.match(res.body, /porter_http_requests_total\{route="unmatched",method="GET",status="404"\} \d+/);
    assert.ok(!res.body.includes("/no/such/page"), "raw paths never become labels");
  });

  it("answers unknown paths with JSON for programs and an HTML page for browsers", async () => {
    const json = await app.inject({ url: "/nope" });
    assert.equal(json.statusCode, 404);
    assert.equal(json.json<{ error: string }>().error, "not_found");
    const page = await app.inject({ url: "/nope", headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    assert.match(page.body, /<h1>Page not found<\/h1>/);
    assert.match(String(page.headers["content-security-policy"]), /default-src 'none'/);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    assert.equal(page.headers["x-frame-options"], "DENY");
  });

  it("refuses oversized bodies with 413 and malformed JSON with 400, without crashing", async () => {
    const big = await app.inject({
      method: "POST",
      url: "/echo",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ a: "x".repeat(4096) }),
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json<{ error: string }>().error, "request_too_large");
    const broken = await app.inject({ method: "POST", url: "/echo", headers: { "content-type": "application/json" }, payload: "{not json" });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json<{ error: string }>().error, "invalid_request");
    const fine = await app.inject({ method: "POST", url: "/echo", headers: { "content-type": "application/json" }, payload: '{"a":1}' });
    assert.deepEqual(fine.json(), { got: { a: 1 } });
  });

  it("hides a failing handler's details from the client and keeps tokens in URLs out of the log", async () => {
    const res = await app.inject({ url: "/crash/SECRET-TOKEN-123", headers: { accept: "text/html" } });
    assert.equal(res.statusCode, 500);
    assert.ok(!res.body.includes("kaboom"));
    assert.match(res.body, /Something went wrong/);
    assert.ok(logs.text().includes("kaboom"), "the cause is logged");
    assert.ok(!logs.text().includes("SECRET-TOKEN-123"), "the URL is not");
  });

  it("answers 503 with Retry-After when the database refuses, logging the SQLite code once and no URL", async () => {
    const before = logs.lines().length;
    const json = await app.inject({ method: "POST", url: "/write/SECRET-TOKEN-456" });
    assert.equal(json.statusCode, 503);
    assert.equal(json.headers["retry-after"], "30");
    assert.equal(json.headers["cache-control"], "no-store");
    assert.deepEqual(json.json(), {
      error: "temporarily_unavailable",
      error_description: "The service cannot save anything right now, so nothing was changed. Please try again in a few minutes.",
    });
    const page = await app.inject({ method: "POST", url: "/write/SECRET-TOKEN-456", headers: { accept: "text/html" } });
    assert.equal(page.statusCode, 503);
    assert.equal(page.headers["retry-after"], "30");
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    assert.match(page.body, /<h1>Please try again later<\/h1>/);
    assert.match(page.body, /try again in a few minutes/);
    assert.ok(!page.body.includes("SQLITE"), "no internals on the page");

    const logged = logs
      .lines()
      .slice(before)
      .filter((line) => line.level === 50);
    assert.equal(logged.length, 2, "one error line per request");
    for (const line of logged) {
      assert.equal(line.msg, "the database refused the request; answered 503");
      assert.equal((line.err as { code?: string }).code, "SQLITE_READONLY");
      assert.equal(line.route, "/write/:token");
    }
    assert.ok(!logs.text().includes("SECRET-TOKEN-456"), "the URL is not logged");
  });
});

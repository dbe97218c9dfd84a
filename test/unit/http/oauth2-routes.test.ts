import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";

import type { FastifyInstance } from "fastify";

import { App } from "../../../src/app.js";
import { ClientLimiter } from "../../../src/http/rate-limit.js";
import { registerOAuth2Routes } from "../../../src/http/routes/oauth2.js";
import { buildHttpServer } from "../../../src/http/server.js";
import { Metrics } from "../../../src/metrics/metrics.js";
import { ClientRegistry } from "../../../src/oauth2/client-registry.js";
import { openDatabase } from "../../../src/store/database.js";
import { SqliteRevokedClients } from "../../../src/store/revoked-client-store.js";
import { testConfig } from "../../support/config.js";
import { capturingLogger } from "../../support/logs.js";

const KEY = "k".repeat(48);
const ISSUER = "https://invite.example.com";
/** The checklist's base body B. */
const B = { client_name: "App", client_uri: "https://app.example/", redirect_uris: ["https://app.example/cb"] };

interface Registered {
  client_id: string;
  client_secret: string;
  client_id_issued_at: number;
  client_secret_expires_at: number;
  [field: string]: unknown;
}

async function server(options: { initialAccessToken?: string; limit?: number; ttl?: number } = {}) {
  const logs = capturingLogger();
  const app = buildHttpServer({ log: logs.log, metrics: new Metrics() });
  const registry = new ClientRegistry({
    keys: [KEY],
    host: "example.com",
    ttl: options.ttl ?? null,
    denylist: new SqliteRevokedClients(openDatabase(":memory:")),
  });
  registerOAuth2Routes(app, {
    registry,
    publicUrl: ISSUER,
    initialAccessToken: options.initialAccessToken ?? null,
    limiter: new ClientLimiter(options.limit ?? 1000, 3_600_000),
  });
  await app.ready();
  return { app, registry, logs };
}

function post(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: "POST",
    url: "/oauth2/register",
    headers: { "content-type": "application/json", ...headers },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /oauth2/register (RFC 7591)", () => {
  // A fresh server for every test, so that each one passes or fails alone, whatever ran before it.
  let app: FastifyInstance;
  let registry: ClientRegistry;
  let logs: ReturnType<typeof capturingLogger>;
  beforeEach(async () => {
    ({ app, registry, logs } = await server());
  });
  afterEach(async () => {
    await app.close();
    const troubled = logs.lines().filter((line) => (line.level as number) >= 40);
    assert.deepEqual(troubled, [], "answered without a warning or an error in the log");
  });

  it("R1: registers B with 201, the RFC fields, the defaults and no-store", async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await post(app, B);
    assert.equal(res.statusCode, 201);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    assert.equal(res.headers["cache-control"], "no-store");
    assert.equal(res.headers.pragma, "no-cache");
    const body = res.json<Registered>();
    assert.equal(body.client_id.split(".").length, 3);
    assert.match(body.client_secret, /^[0-9a-f]{64}$/);
    assert.ok(Number.isInteger(body.client_id_issued_at) && body.client_id_issued_at >= before && body.client_id_issued_at <= before + 5);
    assert.equal(body.client_secret_expires_at, 0);
    assert.deepEqual(
      { ...body, client_id: undefined, client_secret: undefined, client_id_issued_at: undefined },
      {
        client_id: undefined,
        client_secret: undefined,
        client_id_issued_at: undefined,
        client_secret_expires_at: 0,
        ...B,
        application_type: "web",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    );
    assert.ok((await registry.verify(body.client_id, body.client_secret)).ok, "R3: the returned credentials verify");
  });

  it("R2: B twice gives different client_id and client_secret", async () => {
    const [first, second] = await Promise.all([post(app, B), post(app, B)]);
    assert.notEqual(first.json<Registered>().client_id, second.json<Registered>().client_id);
    assert.notEqual(first.json<Registered>().client_secret, second.json<Registered>().client_secret);
  });

  const refusals: [id: string, body: unknown, status: number, error: string][] = [
    ["R4 broken JSON", "{", 400, "invalid_request"],
    ["R5 null", "null", 400, "invalid_request"],
    ["R5 array", "[]", 400, "invalid_request"],
    ["R5 string", '"x"', 400, "invalid_request"],
    ["R7 no redirect_uris", { client_name: "App", client_uri: "https://app.example/" }, 400, "invalid_redirect_uri"],
    ["R8 empty redirect_uris", { ...B, redirect_uris: [] }, 400, "invalid_redirect_uri"],
    ["R9 redirect_uris a string", { ...B, redirect_uris: "https://app.example/cb" }, 400, "invalid_redirect_uri"],
    ["R10 redirect_uris [123]", { ...B, redirect_uris: [123] }, 400, "invalid_redirect_uri"],
    ["R11 fragment", { ...B, redirect_uris: ["https://app.example/cb#frag"] }, 400, "invalid_redirect_uri"],
    ["R12 empty fragment", { ...B, redirect_uris: ["https://app.example/cb#"] }, 400, "invalid_redirect_uri"],
    ["R13 relative", { ...B, redirect_uris: ["/cb"] }, 400, "invalid_redirect_uri"],
    ["R14 web http", { ...B, redirect_uris: ["http://app.example/cb"] }, 400, "invalid_redirect_uri"],
    ["R15 web other host", { ...B, redirect_uris: ["https://evil.example/cb"] }, 400, "invalid_redirect_uri"],
    ["R19 native https loopback", { ...B, application_type: "native", redirect_uris: ["https://localhost/cb"] }, 400, "invalid_redirect_uri"],
    ["R21 scheme without a dot", { ...B, application_type: "native", redirect_uris: ["myapp:/cb"] }, 400, "invalid_redirect_uri"],
    ["R22 javascript:", { ...B, application_type: "native", redirect_uris: ["javascript:alert(1)"] }, 400, "invalid_redirect_uri"],
    ["R22 data:", { ...B, application_type: "native", redirect_uris: ["data:text/html,x"] }, 400, "invalid_redirect_uri"],
    ["R22 file:", { ...B, application_type: "native", redirect_uris: ["file:///etc/passwd"] }, 400, "invalid_redirect_uri"],
    ["R23 userinfo", { ...B, redirect_uris: ["https://u:p@app.example/cb"] }, 400, "invalid_redirect_uri"],
    ["R24 bad port", { ...B, redirect_uris: ["https://app.example:99999/cb"] }, 400, "invalid_redirect_uri"],
    ["R25 duplicates", { ...B, redirect_uris: ["https://app.example/cb", "https://app.example/cb"] }, 400, "invalid_redirect_uri"],
    ["R26 upper case", { ...B, redirect_uris: ["HTTPS://APP.EXAMPLE/cb"] }, 400, "invalid_redirect_uri"],
    ["R26 127.1", { ...B, application_type: "native", redirect_uris: ["http://127.1/cb"] }, 400, "invalid_redirect_uri"],
    ["R27 OOB", { ...B, redirect_uris: ["urn:ietf:wg:oauth:2.0:oob"] }, 400, "invalid_redirect_uri"],
    ["R28 device URN", { ...B, redirect_uris: ["urn:ietf:params:oauth:grant-type:device_code"] }, 400, "invalid_redirect_uri"],
    ["R29 no client_name", { client_uri: B.client_uri, redirect_uris: B.redirect_uris }, 400, "invalid_client_metadata"],
    ["R30 no client_uri", { client_name: "App", redirect_uris: B.redirect_uris }, 400, "invalid_client_metadata"],
    ["R31 http client_uri", { ...B, client_uri: "http://app.example/" }, 400, "invalid_client_metadata"],
    ["R32 localhost client_uri", { ...B, client_uri: "https://localhost/" }, 400, "invalid_client_metadata"],
    ["R32 127.0.0.1 client_uri", { ...B, client_uri: "https://127.0.0.1/" }, 400, "invalid_client_metadata"],
    ["R33 tos_uri elsewhere", { ...B, tos_uri: "https://other.example/tos" }, 400, "invalid_client_metadata"],
    ["R33 logo_uri http", { ...B, logo_uri: "http://app.example/logo.png" }, 400, "invalid_client_metadata"],
    ["R35 private_key_jwt", { ...B, token_endpoint_auth_method: "private_key_jwt" }, 400, "invalid_client_metadata"],
    ["R35 foo method", { ...B, token_endpoint_auth_method: "foo" }, 400, "invalid_client_metadata"],
    ["R36 public client", { ...B, token_endpoint_auth_method: "none" }, 400, "invalid_client_metadata"],
    ["R37 password grant", { ...B, grant_types: ["password"] }, 400, "invalid_client_metadata"],
    ["R37 implicit grant", { ...B, grant_types: ["implicit"] }, 400, "invalid_client_metadata"],
    ["R37 client_credentials", { ...B, grant_types: ["client_credentials"] }, 400, "invalid_client_metadata"],
    ["R38 unknown grant", { ...B, grant_types: ["urn:x:unknown"] }, 400, "invalid_client_metadata"],
    ["R39 no grants", { ...B, grant_types: [] }, 400, "invalid_client_metadata"],
    ["R40 no response types", { ...B, response_types: [] }, 400, "invalid_client_metadata"],
    ["refresh_token alone", { ...B, grant_types: ["refresh_token"] }, 400, "invalid_client_metadata"],
    ["token response type", { ...B, response_types: ["token"] }, 400, "invalid_client_metadata"],
    ["R44 bad contact", { ...B, contacts: ["not-an-email"] }, 400, "invalid_client_metadata"],
    ["R45 jwks and jwks_uri", { ...B, jwks: { keys: [] }, jwks_uri: "https://app.example/jwks" }, 400, "invalid_client_metadata"],
    ["R47 eleven redirect URIs", { ...B, redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example/cb${i}`) }, 400, "invalid_redirect_uri"],
    ["R47 long client_name", { ...B, client_name: "n".repeat(10_000) }, 400, "invalid_client_metadata"],
    ["control characters in client_name", { ...B, client_name: "App\u0000\u001b[31m" }, 400, "invalid_client_metadata"],
    ["application_type other", { ...B, application_type: "desktop" }, 400, "invalid_client_metadata"],
    ["client_name not a string", { ...B, client_name: 42 }, 400, "invalid_client_metadata"],
    ["bad scope", { ...B, scope: "a  b" }, 400, "invalid_client_metadata"],
    ["deeply nested value", `{"client_name":${"[".repeat(5000)}${"]".repeat(5000)}}`, 400, "invalid_client_metadata"],
    [
      "__proto__ smuggling",
      '{"__proto__":{"client_name":"App","client_uri":"https://app.example/","redirect_uris":["https://app.example/cb"]}}',
      400,
      "invalid_client_metadata",
    ],
  ];
  for (const [id, body, status, error] of refusals) {
    it(`${id}: ${status} ${error}`, async () => {
      const res = await post(app, body);
      assert.equal(res.statusCode, status);
      assert.match(String(res.headers["content-type"]), /^application\/json/);
      const answer = res.json<{ error: string; error_description: string }>();
      assert.equal(answer.error, error);
      assert.ok(answer.error_description.length > 10, answer.error_description);
      assert.equal(({} as Record<string, unknown>).client_name, undefined, "no prototype pollution");
    });
  }

  const accepted: [id: string, body: Record<string, unknown>, expect: Record<string, unknown>][] = [
    ["R16 loopback IP infers native", { ...B, redirect_uris: ["http://127.0.0.1:8080/cb"] }, { application_type: "native" }],
    ["R17 native [::1]", { ...B, application_type: "native", redirect_uris: ["http://[::1]/cb"] }, { redirect_uris: ["http://[::1]/cb"] }],
    ["R18 native localhost", { ...B, application_type: "native", redirect_uris: ["http://localhost:8080/cb"] }, { application_type: "native" }],
    ["R20 private-use scheme", { ...B, redirect_uris: ["com.example.app:/cb"] }, { application_type: "native", redirect_uris: ["com.example.app:/cb"] }],
    ["R34 tos_uri on the host", { ...B, tos_uri: "https://app.example/tos" }, { tos_uri: "https://app.example/tos" }],
    [
      "R41 refresh_token",
      { ...B, grant_types: ["authorization_code", "refresh_token"] },
      { grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] },
    ],
    ["R42 unknown field dropped", { ...B, foo: "bar" }, { foo: undefined }],
    ["R43 software_statement ignored", { ...B, software_statement: "eyJ.x.y" }, { software_statement: undefined }],
    ["R46 chosen credentials ignored", { ...B, client_secret: "mine", client_id: "mine" }, {}],
    ["path-less client_uri", { ...B, client_uri: "https://app.example" }, { client_uri: "https://app.example" }],
    ["client_secret_post", { ...B, token_endpoint_auth_method: "client_secret_post" }, { token_endpoint_auth_method: "client_secret_post" }],
    [
      "optional fields echoed",
      { ...B, contacts: ["dev@app.example"], software_id: "4NRB1-0XZABZI9E6-5SM3R", software_version: "2.1", scope: "xmpp offline_access" },
      { contacts: ["dev@app.example"], software_id: "4NRB1-0XZABZI9E6-5SM3R", software_version: "2.1", scope: "xmpp offline_access" },
    ],
  ];
  for (const [id, body, expect] of accepted) {
    it(`${id}: 201`, async () => {
      const res = await post(app, body);
      assert.equal(res.statusCode, 201, res.body);
      const answer = res.json<Registered>();
      for (const [field, value] of Object.entries(expect)) assert.deepEqual(answer[field], value, field);
      assert.notEqual(answer.client_id, "mine");
      assert.notEqual(answer.client_secret, "mine");
      assert.ok((await registry.verify(answer.client_id, answer.client_secret)).ok);
    });
  }

  it("R6: a form-encoded or untyped body is a 400 invalid_request", async () => {
    const form = await app.inject({
      method: "POST",
      url: "/oauth2/register",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "client_name=App",
    });
    assert.equal(form.statusCode, 400);
    assert.equal(form.json<{ error: string }>().error, "invalid_request");
    const untyped = await app.inject({ method: "POST", url: "/oauth2/register", payload: JSON.stringify(B) });
    assert.equal(untyped.statusCode, 400);
    const empty = await app.inject({ method: "POST", url: "/oauth2/register", headers: { "content-type": "application/json" } });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json<{ error: string }>().error, "invalid_request");
  });

  it("names the field at fault and what it breaks in error_description", async () => {
    const described = async (body: Record<string, unknown>) => (await post(app, body)).json<{ error_description: string }>().error_description;
    assert.equal(await described({ client_uri: B.client_uri, redirect_uris: B.redirect_uris }), "client_name is required");
    assert.equal(await described({ ...B, client_name: null }), "client_name must be a string");
    assert.equal(await described({ ...B, redirect_uris: "https://app.example/cb" }), "redirect_uris must be an array");
    assert.equal(await described({ ...B, redirect_uris: [7] }), "redirect_uris.0 must be a string");
    assert.equal(
      await described({ ...B, grant_types: ["password"] }),
      'grant_types.0 "password" is not supported (supported: authorization_code, refresh_token)',
    );
    assert.equal(await described({ ...B, client_name: "" }), "client_name must have at least 1 character");
  });

  it("R47: a body over 16 KiB is a 413 in the OAuth2 error shape", async () => {
    const res = await post(app, { ...B, padding: "x".repeat(20_000) });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json<{ error: string }>().error, "invalid_request");
  });

  it("R51: answers CORS preflights and allows any origin", async () => {
    const preflight = await app.inject({
      method: "OPTIONS",
      url: "/oauth2/register",
      headers: { origin: "https://webclient.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], "*");
    assert.match(String(preflight.headers["access-control-allow-methods"]), /POST/);
    assert.match(String(preflight.headers["access-control-allow-headers"]), /Content-Type/);
    const res = await post(app, B, { origin: "https://webclient.example" });
    assert.equal(res.headers["access-control-allow-origin"], "*");
  });

  it("GET returns the accepted metadata as a JSON Schema", async () => {
    const res = await app.inject({ url: "/oauth2/register" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^application\/schema\+json/);
    const schema = res.json<{ type: string; required: string[]; properties: Record<string, { enum?: string[]; items?: { enum?: string[] } }> }>();
    assert.equal(schema.type, "object");
    assert.deepEqual(schema.required.sort(), ["client_name", "client_uri"]);
    assert.deepEqual(schema.properties.grant_types?.items?.enum, ["authorization_code", "refresh_token"]);
    assert.deepEqual(schema.properties.token_endpoint_auth_method !== undefined, true);
    assert.ok("redirect_uris" in schema.properties);
  });

  it("logs registrations at debug level, without credentials", async () => {
    const res = await post(app, B);
    const { client_id, client_secret } = res.json<Registered>();
    const text = logs.text();
    assert.deepEqual(
      logs
        .lines()
        .filter((line) => line.msg === "oauth2 client registered")
        .map((line) => line.level),
      [20],
      "once, at debug level",
    );
    assert.ok(!text.includes(client_secret) && !text.includes(client_id));
  });
});

describe("GET /.well-known/oauth-authorization-server (RFC 8414)", () => {
  it("M1, M2, M4: names the issuer and the registration endpoint, and only what Porter serves", async () => {
    const { app } = await server();
    const res = await app.inject({ url: "/.well-known/oauth-authorization-server" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    assert.equal(res.headers["access-control-allow-origin"], "*");
    const metadata = res.json<Record<string, unknown>>();
    // No authorization or token endpoint exists yet, so no grant type, token endpoint
    // authentication method or response type may be advertised (RFC 8414 §2).
    assert.deepEqual(metadata, { issuer: ISSUER, registration_endpoint: `${ISSUER}/oauth2/register`, response_types_supported: [] });
    for (const [field, url] of Object.entries(metadata).filter(([field]) => field.endsWith("_endpoint"))) {
      const answer = await app.inject({ url: new URL(String(url)).pathname });
      assert.equal(answer.statusCode, 200, `${field} answers`);
    }
    await app.close();
  });
});

describe("registration abuse controls", () => {
  it("R48: over the per-address limit answers 429 with Retry-After", async () => {
    const { app } = await server({ limit: 2 });
    assert.equal((await post(app, B)).statusCode, 201);
    assert.equal((await post(app, B)).statusCode, 201);
    const refused = await post(app, B);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json<{ error: string }>().error, "invalid_request");
    const retryAfter = Number(refused.headers["retry-after"]);
    assert.ok(retryAfter > 3500 && retryAfter <= 3600, String(retryAfter));
    await app.close();
  });

  it("R50: with an initial access token, registration needs it in the Authorization header", async () => {
    const token = "initial-access-token-0123456789";
    const { app, logs } = await server({ initialAccessToken: token });
    const none = await post(app, B);
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers["www-authenticate"], "Bearer");
    assert.equal(none.json<{ error: string }>().error, "invalid_token");
    const wrong = await post(app, B, { authorization: "Bearer initial-access-token-0123456780" });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.headers["www-authenticate"], 'Bearer error="invalid_token"');
    const inBody = await post(app, { ...B, initial_access_token: token });
    assert.equal(inBody.statusCode, 401);
    const basic = await post(app, B, { authorization: `Basic ${Buffer.from(`x:${token}`).toString("base64")}` });
    assert.equal(basic.statusCode, 401);
    const right = await post(app, B, { authorization: `Bearer ${token}` });
    assert.equal(right.statusCode, 201);
    assert.ok(!logs.text().includes(token));
    await app.close();
  });

  it("with a lifetime, client_secret_expires_at is client_id_issued_at + ttl", async () => {
    const { app } = await server({ ttl: 86_400 });
    const body = (await post(app, B)).json<Registered>();
    assert.equal(body.client_secret_expires_at, body.client_id_issued_at + 86_400);
    await app.close();
  });
});

describe("OAuth2 in the assembled application", () => {
  it("R49: without oauth2.registration_key the endpoints answer 404; with it they work", async () => {
    for (const [registration_key, status] of [
      [null, 404],
      ["k".repeat(40), 201],
    ] as const) {
      const app = new App({ config: testConfig({ oauth2: { registration_key } }), log: capturingLogger().log });
      const registered = await post(app.http, B);
      assert.equal(registered.statusCode, status);
      assert.equal((await app.http.inject({ url: "/.well-known/oauth-authorization-server" })).statusCode, status === 201 ? 200 : 404);
      await app.stop();
    }
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import fc from "fast-check";

import { App } from "../../src/app.js";
import { testConfig } from "../support/config.js";
import { capturingLogger } from "../support/logs.js";

/*
 * Hostile HTTP input, generated: registration metadata, form posts and
 * headers. Every answer is a client error in the route's own format (OAuth2
 * JSON or an HTML page), or a success; never a 500, never a hang.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const PUBLIC_URL = "https://invite.example.com";
const METADATA_FIELDS = [
  "client_name",
  "client_uri",
  "redirect_uris",
  "application_type",
  "grant_types",
  "response_types",
  "token_endpoint_auth_method",
  "logo_uri",
  "tos_uri",
  "policy_uri",
  "contacts",
  "software_id",
  "software_version",
  "scope",
  "jwks",
  "jwks_uri",
  "__proto__",
  "constructor",
];
const URIS = [
  "https://app.example/",
  "https://app.example/cb",
  "http://127.0.0.1:8080/cb",
  "http://[::1]/cb",
  "com.example.app:/cb",
  "https://app.example/cb#x",
  "javascript:alert(1)",
  "HTTPS://APP.EXAMPLE/cb",
  "https://u:p@app.example/",
  "/cb",
  "",
];

const stringish = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(...URIS),
  fc.constantFrom("web", "native", "authorization_code", "refresh_token", "code", "none", "client_secret_post"),
);
const value = fc.oneof(
  { weight: 3, arbitrary: stringish },
  { weight: 2, arbitrary: fc.array(stringish, { maxLength: 12 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const metadata = fc.dictionary(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...METADATA_FIELDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
  value,
  { maxKeys: 12 },
);

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/vnd.api+json",
  "",
);

function isOAuth2Error(body: string, codes: readonly string[]): boolean {
  const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
  return typeof parsed.error === "string" && codes.includes(parsed.error) && typeof parsed.error_description === "string";
}

describe("hostile HTTP input (property-based)", () => {
  let app: App;

  before(async () => {
    const config = testConfig({
      oauth2: { registration_key: "k".repeat(40), registration_limit: 1_000_000 },
      http: { listen: "127.0.0.1:0", public_url: PUBLIC_URL, form_limit: 1_000_000 },
      invites: { registration_invite_only: false },
    });
    app = new App({ config, log: capturingLogger("info").log });
    await app.http.ready();
  });
  after(() => app.stop());

  it(`answers any client metadata with 201 or an RFC 7591 error (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(metadata, async (body) => {
        const res = await app.http.inject({
          method: "POST",
          url: "/oauth2/register",
          headers: { "content-type": "application/json" },
          payload: JSON.stringify(body),
        });
        assert.match(String(res.headers["content-type"]), /^application\/json/);
        if (res.statusCode === 201) {
          const { client_id, client_secret } = res.json<{ client_id: string; client_secret: string }>();
          assert.ok(app.oauth2 !== null && (await app.oauth2.verify(client_id, client_secret)).ok);
        } else {
          assert.equal(res.statusCode, 400, res.body);
          assert.ok(isOAuth2Error(res.body, ["invalid_client_metadata", "invalid_redirect_uri"]), res.body);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`answers any raw registration body with a JSON error, never a 500 (${RUNS} cases)`, async () => {
    const raw = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.integer({ min: 16_000, max: 40_000 }).map((n) => `{"client_name":"${"x".repeat(n)}"}`),
    );
    await fc.assert(
      fc.asyncProperty(raw, contentType, async (payload, type) => {
        const res = await app.http.inject({ method: "POST", url: "/oauth2/register", headers: type === "" ? {} : { "content-type": type }, payload });
        assert.ok([201, 400, 413].includes(res.statusCode), `${res.statusCode} ${res.body.slice(0, 200)}`);
        if (res.statusCode !== 201) assert.ok(isOAuth2Error(res.body, ["invalid_request", "invalid_client_metadata", "invalid_redirect_uri"]), res.body);
      }),
      { numRuns: RUNS },
    );
  });

  it(`answers any form post and token with a page, never a 500 (${RUNS} cases)`, async () => {
    const created = await app.invites.createAccountInvite({ kind: "cli" }, { maxUses: null });
    const validToken = created.landingUrl.split("/").pop() ?? "";
    const page = await app.http.inject({ url: `/invite/${validToken}` });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const registerPage = await app.http.inject({ url: "/register" });
    const registerCsrf = /name="csrf" value="([^"]+)"/.exec(registerPage.body)?.[1] ?? "";
    const field = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("alice", "a".repeat(100), "pässwörd-long-enough", "<script>x</script>", "../..", ""));
    const post = fc.record({
      path: fc.oneof(
        fc.constant(`/invite/${validToken}`),
        fc.string({ maxLength: 40 }).map((token) => `/invite/${encodeURIComponent(token)}`),
        fc.constant("/register"),
      ),
      fields: fc.dictionary(fc.constantFrom("username", "password", "password_confirm", "csrf", "extra"), fc.oneof(field, fc.array(field, { maxLength: 3 })), {
        maxKeys: 5,
      }),
      genuine: fc.boolean(),
      type: contentType,
      origin: fc.constantFrom(PUBLIC_URL, "https://evil.example", "null", ""),
    });
    await fc.assert(
      fc.asyncProperty(post, async ({ path, fields, genuine, type, origin }) => {
        const form = new URLSearchParams();
        for (const [name, values] of Object.entries(fields)) for (const v of [values].flat()) form.append(name, v);
        if (genuine) form.set("csrf", path === "/register" ? registerCsrf : csrf);
        const res = await app.http.inject({
          method: "POST",
          url: path,
          headers: { ...(type === "" ? {} : { "content-type": type }), ...(origin === "" ? {} : { origin }), accept: "text/html" },
          payload: form.toString(),
        });
        assert.ok(res.statusCode < 500 || res.statusCode === 503, `${res.statusCode} for ${path}`);
        assert.match(String(res.headers["content-type"]), /^text\/html/);
      }),
      { numRuns: RUNS },
    );
  });

  it(`answers any headers on every page without a 500 (${RUNS} cases)`, async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.integer({ min: 1000, max: 8000 }).map((n) => "h".repeat(n)),
    );
    const request = fc.record({
      url: fc.constantFrom(
        "/",
        "/healthz",
        "/register",
        "/invite/x",
        "/oauth2/register",
        "/.well-known/oauth-authorization-server",
        "/metrics",
        "/nope",
        "/invite/%00",
        "/invite/%E0%A4%A",
      ),
      method: fc.constantFrom("GET", "HEAD", "OPTIONS", "DELETE", "PUT", "PATCH"),
      headers: fc.dictionary(
        fc.constantFrom("accept", "origin", "cookie", "authorization", "x-forwarded-for", "content-type", "accept-language", "if-none-match", "range"),
        header,
        { maxKeys: 6 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ url, method, headers }) => {
        const res = await app.http.inject({ method: method as "GET", url, headers });
        assert.ok(res.statusCode < 500 || (url === "/healthz" && res.statusCode === 503), `${method} ${url} answered ${res.statusCode}`);
      }),
      { numRuns: RUNS },
    );
  });
});

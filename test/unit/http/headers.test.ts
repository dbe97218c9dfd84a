import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { FastifyRequest } from "fastify";

import { App } from "../../../src/app.js";
import { CsrfTokens } from "../../../src/http/csrf.js";
import { guardForm } from "../../../src/http/signup-post.js";
import { testConfig } from "../../support/config.js";
import { capturingLogger } from "../../support/logs.js";

const HSTS = "strict-transport-security";

async function responses(publicUrl: string) {
  const config = testConfig({ http: { listen: "127.0.0.1:0", public_url: publicUrl }, invites: { registration_invite_only: false } });
  const app = new App({ config, log: capturingLogger().log });
  try {
    return await Promise.all([
      app.http.inject({ url: "/register" }),
      app.http.inject({ url: "/healthz" }),
      app.http.inject({ url: "/no/such/page", headers: { accept: "text/html" } }),
      app.http.inject({ method: "POST", url: "/register", headers: { "content-type": "application/json" }, payload: "{" }),
      app.http.inject({ url: "/invite/not-a-token" }),
    ]);
  } finally {
    await app.stop();
  }
}

describe("Strict-Transport-Security", () => {
  it("is sent on every answer, errors included, when http.public_url is https", async () => {
    for (const res of await responses("https://invite.example.com")) {
      assert.equal(res.headers[HSTS], "max-age=31536000", `${res.statusCode} ${res.body.slice(0, 80)}`);
    }
  });

  it("is not sent when the public URL is plain http", async () => {
    for (const res of await responses("http://invite.example.com")) assert.equal(res.headers[HSTS], undefined);
  });
});

describe("the Origin check of form posts", () => {
  const PUBLIC = "https://invite.example.com";
  const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;
  const csrf = new CsrfTokens();
  const token = csrf.issue("register");

  it("accepts Porter's own origin and a post without Origin (the page token then decides)", () => {
    assert.equal(guardForm(request({ origin: PUBLIC }), PUBLIC, csrf, "register", token), undefined);
    assert.equal(guardForm(request({}), PUBLIC, csrf, "register", token), undefined);
  });

  it("refuses another site, another scheme or port, and the opaque origin null, as the origin's fault", () => {
    for (const origin of ["https://evil.example", "http://invite.example.com", "https://invite.example.com:8443", "null"]) {
      assert.equal(guardForm(request({ origin }), PUBLIC, csrf, "register", token), "origin", origin);
    }
  });
});

import { createHash, timingSafeEqual } from "node:crypto";

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { IssuedClient } from "../../oauth2/client-credentials.js";
import { ClientMetadataError, clientMetadataJsonSchema } from "../../oauth2/client-metadata.js";
import type { ClientRegistry } from "../../oauth2/client-registry.js";
import { authorizationServerMetadata, METADATA_PATH, REGISTRATION_PATH } from "../../oauth2/server-metadata.js";
import type { ClientLimiter } from "../rate-limit.js";

export interface OAuth2RouteDeps {
  readonly registry: ClientRegistry;
  readonly publicUrl: string;
  /** null: registration is open to anyone (within the rate limit). */
  readonly initialAccessToken: string | null;
  readonly limiter: ClientLimiter;
}

/** Client metadata is a few kilobytes at most; anything larger is refused before parsing. */
const REGISTRATION_BODY_LIMIT = 16 * 1024;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

/**
 * POST/GET /oauth2/register (RFC 7591) and the RFC 8414 metadata. Every answer
 * is JSON in the OAuth2 error shape, never an HTML page: the callers are
 * programs. CORS is open because browser-based clients register too, and no
 * cookie or ambient credential is involved.
 */
export function registerOAuth2Routes(app: FastifyInstance, deps: OAuth2RouteDeps): void {
  const expectedToken = deps.initialAccessToken === null ? null : digest(deps.initialAccessToken);
  const metadata = authorizationServerMetadata(deps.publicUrl);
  const schema = clientMetadataJsonSchema();

  void app.register((scope, _options, done) => {
    // The body is read raw so that a wrong content type or bad JSON gets an OAuth2 error, not the framework's.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: REGISTRATION_BODY_LIMIT }, (_request, body, done) => {
      done(null, body);
    });
    // Set before the handler runs, so that every answer of the scope carries it, errors included.
    scope.addHook("onRequest", (_request, reply, done) => {
      void reply.header("Access-Control-Allow-Origin", "*");
      done();
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) {
        request.log.error({ err: error }, "oauth2 registration failed");
        return sendError(reply, 500, "server_error", "the registration could not be completed");
      }
      if (status === 413) return sendError(reply, 413, "invalid_request", `the request body is larger than ${REGISTRATION_BODY_LIMIT} bytes`);
      return sendError(reply, status, "invalid_request", error.message);
    });

    for (const path of [REGISTRATION_PATH, METADATA_PATH]) {
      scope.options(path, async (_request, reply) => {
        return reply
          .code(204)
          .header("Access-Control-Allow-Methods", path === REGISTRATION_PATH ? "GET, POST" : "GET")
          .header("Access-Control-Allow-Headers", "Authorization, Content-Type")
          .header("Access-Control-Max-Age", "86400")
          .send();
      });
    }

    scope.get(METADATA_PATH, async (_request, reply) => {
      return reply.header("Cache-Control", "public, max-age=3600").send(metadata);
    });

    scope.get(REGISTRATION_PATH, async (_request, reply) => {
      return reply.header("Cache-Control", "public, max-age=3600").type("application/schema+json").send(schema);
    });

    scope.post(REGISTRATION_PATH, async (request, reply) => {
      if (!deps.limiter.attempt(request)) {
        void reply.header("Retry-After", String(deps.limiter.retryAfterSeconds(request)));
        return sendError(reply, 429, "invalid_request", "too many registrations from this address: try again later");
      }
      if (expectedToken !== null && !hasToken(request, expectedToken)) {
        const presented = request.headers.authorization !== undefined;
        // RFC 6750 §3.1: no error code when the request carried no token at all.
        void reply.header("WWW-Authenticate", presented ? 'Bearer error="invalid_token"' : "Bearer");
        return sendError(reply, 401, "invalid_token", presented ? "the initial access token is not valid" : "registration requires an initial access token (Authorization: Bearer)");
      }
      const body = readJson(request);
      if (!body.ok) return sendError(reply, 400, "invalid_request", body.description);
      let client: IssuedClient;
      try {
        client = deps.registry.register(body.value);
      } catch (err) {
        if (err instanceof ClientMetadataError) return sendError(reply, 400, err.code, err.message);
        throw err;
      }
      // A public endpoint: a line per request would flood the log. porter_http_requests_total counts them (status 201).
      request.log.debug(
        { client_name: client.metadata.client_name, application_type: client.metadata.application_type, client_uri: client.metadata.client_uri },
        "oauth2 client registered",
      );
      return reply
        .code(201)
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
        .send({
          client_id: client.clientId,
          client_secret: client.clientSecret,
          client_id_issued_at: client.issuedAt,
          client_secret_expires_at: client.secretExpiresAt,
          ...client.metadata,
        });
    });
    done();
  });
}

function readJson(request: FastifyRequest): { ok: true; value: unknown } | { ok: false; description: string } {
  if (!JSON_TYPE.test(request.headers["content-type"] ?? "")) return { ok: false, description: "the request body must be application/json" };
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) return { ok: false, description: "the request body is empty" };
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString("utf8"));
  } catch {
    return { ok: false, description: "the request body is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, description: "the request body must be a JSON object" };
  return { ok: true, value };
}

function hasToken(request: FastifyRequest, expected: Buffer): boolean {
  const match = BEARER.exec(request.headers.authorization ?? "");
  // Compared as digests: equal lengths whatever was sent, and no early exit on the first differing byte.
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function sendError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header("Cache-Control", "no-store").type("application/json; charset=utf-8").send({ error, error_description: description });
}

import { createHash, timingSafeEqual } from "node:crypto";

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { IssuedClient } from "../../oauth2/client-credentials.js";
import { ClientMetadataError, clientMetadataJsonSchema } from "../../oauth2/client-metadata.js";
import type { ClientRegistry } from "../../oauth2/client-registry.js";
import { authorizationServerMetadata, METADATA_PATH, REGISTRATION_PATH } from "../../oauth2/server-metadata.js";
import { InvalidClientMetadata, InvalidRequest, InvalidToken, TooManyRequests } from "../errors.js";
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
  void app.register((scope, _options, done) => {
    answerAsOAuth2(scope);
    readBodiesRaw(scope);
    allowAnyOrigin(scope);
    answerPreflights(scope);
    serveDescriptions(scope, deps.publicUrl);
    scope.post(REGISTRATION_PATH, registration(deps));
    done();
  });
}

/** Every route of the scope answers errors in the OAuth2 shape and refuses bodies over the registration limit. */
function answerAsOAuth2(scope: FastifyInstance): void {
  scope.addHook("onRoute", (route) => {
    route.config = { ...route.config, errors: "oauth2" };
    route.bodyLimit = REGISTRATION_BODY_LIMIT;
  });
}

/** The body is read raw so that a wrong content type or bad JSON gets an OAuth2 error, not the framework's. */
function readBodiesRaw(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => {
    done(null, body);
  });
}

function allowAnyOrigin(scope: FastifyInstance): void {
  // Set before the handler runs, so that every answer of the scope carries it, errors included.
  scope.addHook("onRequest", (_request, reply, done) => {
    void reply.header("Access-Control-Allow-Origin", "*");
    done();
  });
}

function answerPreflights(scope: FastifyInstance): void {
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
}

/** The server's metadata, and on GET of the registration endpoint the metadata it accepts as a JSON Schema. */
function serveDescriptions(scope: FastifyInstance, publicUrl: string): void {
  const metadata = authorizationServerMetadata(publicUrl);
  const schema = clientMetadataJsonSchema();
  scope.get(METADATA_PATH, async (_request, reply) => {
    return reply.header("Cache-Control", "public, max-age=3600").send(metadata);
  });
  scope.get(REGISTRATION_PATH, async (_request, reply) => {
    return reply.header("Cache-Control", "public, max-age=3600").type("application/schema+json").send(schema);
  });
}

/** POST /oauth2/register: each check raises the error it answers with. */
function registration(deps: OAuth2RouteDeps): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  const expectedToken = deps.initialAccessToken === null ? null : digest(deps.initialAccessToken);
  return async (request, reply) => {
    if (!deps.limiter.attempt(request)) {
      throw new TooManyRequests("too many registrations from this address: try again later", deps.limiter.retryAfterSeconds(request));
    }
    if (expectedToken !== null) checkInitialAccessToken(request, expectedToken);
    const client = register(deps.registry, readJson(request));
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
  };
}

function checkInitialAccessToken(request: FastifyRequest, expected: Buffer): void {
  if (hasToken(request, expected)) return;
  const presented = request.headers.authorization !== undefined;
  throw new InvalidToken(
    presented,
    presented ? "the initial access token is not valid" : "registration requires an initial access token (Authorization: Bearer)",
  );
}

function register(registry: ClientRegistry, body: object): IssuedClient {
  try {
    return registry.register(body);
  } catch (err) {
    if (err instanceof ClientMetadataError) throw new InvalidClientMetadata(err.code, err.message);
    throw err;
  }
}

function readJson(request: FastifyRequest): object {
  if (!JSON_TYPE.test(request.headers["content-type"] ?? "")) throw new InvalidRequest("the request body must be application/json");
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw new InvalidRequest("the request body is empty");
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString("utf8"));
  } catch {
    throw new InvalidRequest("the request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidRequest("the request body must be a JSON object");
  return value;
}

function hasToken(request: FastifyRequest, expected: Buffer): boolean {
  const match = BEARER.exec(request.headers.authorization ?? "");
  // Compared as digests: equal lengths whatever was sent, and no early exit on the first differing byte.
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";

import formBody from "@fastify/formbody";

import type { TrustProxy } from "../config/trust-proxy.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../metrics/metrics.js";
import { answerErrors } from "./error-handler.js";
import { PageWords } from "./pages/words.js";

export interface HttpServerOptions {
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Largest request body accepted on any route, in bytes. */
  readonly bodyLimit?: number;
  /** Which reverse proxies may name the client's address in X-Forwarded-For. */
  readonly trustProxy?: TrustProxy;
  /** Send Strict-Transport-Security: set when the public URL is https. */
  readonly hsts?: boolean;
  /** The pages' words; default: the built-in catalogs, English by default. */
  readonly words?: PageWords;
}

const DEFAULT_BODY_LIMIT = 64 * 1024;
/** One year, without includeSubDomains or preload: Porter speaks only for its own host name. */
const HSTS = "max-age=31536000";

/**
 * Builds Porter's HTTP server without listening (tests use inject() or port 0).
 * Every answer, including 404s and errors, is HTML for browsers and JSON for
 * everything else, carries defensive headers, and is counted by route pattern.
 * Request URLs are never logged: invite links carry their token in the path.
 */
export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger, but without the cast the instance is typed by
    // pino's Logger and no longer fits FastifyInstance.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: options.log as FastifyBaseLogger,
    // Our own onResponse line replaces fastify's, which would log raw URLs.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    forceCloseConnections: "idle",
    return503OnClosing: true,
    requestTimeout: 30_000,
    trustProxy: fastifyTrustProxy(options.trustProxy ?? { mode: "none" }),
  });
  const words = options.words ?? PageWords.builtIn();
  // Web forms post application/x-www-form-urlencoded.
  void app.register(formBody, { bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT });

  // Callback hooks, not async ones: an async hook costs every answer a promise and a microtask turn.
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header("X-Content-Type-Options", "nosniff");
    if (options.hsts === true) reply.header("Strict-Transport-Security", HSTS);
    // Invite URLs carry their token: never send them to other sites. Same-origin
    // requests keep their Origin header, which the form handlers check.
    reply.header("Referrer-Policy", "same-origin");
    const type = reply.getHeader("content-type");
    if (typeof type === "string" && type.startsWith("text/html")) {
      reply.header("Content-Security-Policy", words.brand.csp);
      reply.header("X-Frame-Options", "DENY");
    }
    if (request.method !== "GET" && request.method !== "HEAD") reply.header("Cache-Control", "no-store");
    done(null, payload);
  });

  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    options.metrics.countHttpRequest(route, request.method, reply.statusCode);
    const line = { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    // Failures are logged where they happen (the error handler), with their cause.
    options.log.debug(line, "http request");
    done();
  });

  answerErrors(app, options.log, words);
  return app;
}

/**
 * Fastify's form of the setting. Fastify 5.12 turns a bare hop count into
 * "trust nobody" (it cannot check the peer), so hops become a function that
 * trusts the peer and the hops-1 entries the proxies appended.
 */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  switch (trust.mode) {
    case "none":
      return false;
    case "all":
      return true;
    case "hops":
      return (_address, hop) => hop < trust.hops;
    case "addresses":
      return [...trust.addresses];
  }
}

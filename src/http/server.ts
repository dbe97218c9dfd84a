import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";

import formBody from "@fastify/formbody";

import type { TrustProxy } from "../config/trust-proxy.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../metrics/metrics.js";
import { StorageUnavailable } from "../store/errors.js";
import { messagePage } from "./pages/layout.js";
import { REFERENCE_LOCALE } from "../i18n/locales.js";
import { type PageKey, PageWords } from "./pages/words.js";
import { requestLanguage } from "./signup-post.js";

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
/** Seconds a client is asked to wait when the database refuses: enough for an operator to free space. */
const STORAGE_RETRY_AFTER_S = 30;
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
  const problem = (request: FastifyRequest, reply: FastifyReply, status: number, error: string, title: PageKey, text: PageKey | { readonly detail: string }) => {
    sendProblem(request, reply, words, status, error, title, text);
  };
  // Web forms post application/x-www-form-urlencoded.
  void app.register(formBody, { bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT });

  app.addHook("onSend", async (request, reply, payload) => {
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
    return payload;
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    options.metrics.countHttpRequest(route, request.method, reply.statusCode);
    const line = { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };    // Failures are logged where they happen (the error handler), with their cause.
    options.log.debug(line, "http request");
  });

  app.setNotFoundHandler((request, reply) => {
    problem(request, reply, 404, "not_found", "notFoundTitle", "notFoundText");
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof StorageUnavailable) {
      // The file's state, not the request, is at fault: /healthz says so too, and retrying later works.
      options.log.error({ err: error, route: request.routeOptions.url }, "the database refused the request; answered 503");
      void reply.header("Retry-After", String(STORAGE_RETRY_AFTER_S));
      problem(request, reply, 503, "temporarily_unavailable", "storageTitle", "storageText");
      return;
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      options.log.error({ err: error, route: request.routeOptions.url }, "http handler failed");
      problem(request, reply, status, "server_error", "serverErrorTitle", "serverErrorText");
    } else if (status === 413) {
      problem(request, reply, status, "request_too_large", "tooLargeTitle", "tooLargeText");
    } else {
      // Framework rejections (bad JSON, unsupported media type) have safe, useful messages.
      problem(request, reply, status, "invalid_request", "badRequestTitle", { detail: error.message });
    }
  });

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

/** True when the client prefers a web page (a browser) over JSON. */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  const htmlAt = accept.indexOf("text/html");
  const jsonAt = accept.indexOf("application/json");
  return htmlAt !== -1 && (jsonAt === -1 || htmlAt < jsonAt);
}

/**
 * An error answer: a page in the visitor's language for browsers, JSON for
 * everything else. `text` is a message of the pages, or a framework's own
 * description (in English, as it comes) under `detail`.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  words: PageWords,
  status: number,
  error: string,
  title: PageKey,
  text: PageKey | { readonly detail: string },
): void {
  if (wantsHtml(request)) {
    const lang = requestLanguage(request, (asked, accept) => words.choose(asked, accept));
    const description = typeof text === "string" ? lang.t(text) : text.detail;
    void reply
      .code(status)
      .header("Content-Language", lang.locale)
      .header("Vary", "Accept-Language")
      .type("text/html; charset=utf-8")
      .send(messagePage(lang, lang.t(title), description));
  } else {
    // Programs read the error code; the description stays in one language for them.
    const description = typeof text === "string" ? words.in(REFERENCE_LOCALE).t(text) : text.detail;
    void reply.code(status).type("application/json; charset=utf-8").send({ error, error_description: description });
  }
}

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { REFERENCE_LOCALE } from "../i18n/locales.js";
import type { Logger } from "../log/logger.js";
import { StorageUnavailable } from "../store/errors.js";
import { HttpError, InvalidRequest, NotFound, RequestTooLarge, ServerError, TemporarilyUnavailable } from "./errors.js";
import { messagePage } from "./pages/layout.js";
import type { PageWords } from "./pages/words.js";
import { requestLanguage, sendPage } from "./page-reply.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * "oauth2": the route's callers are programs, so its errors are always
     * OAuth2 JSON (RFC 6749 §5.2, RFC 7591 §3.2.2) and never cached. Unset:
     * browsers get a page in their language, everything else JSON.
     */
    readonly errors?: "oauth2";
  }
}

/** An error page names nothing personal and no apps: its words follow Accept-Language only. */
const ERROR_PAGE: Readonly<Record<string, string>> = { Vary: "Accept-Language" };

/**
 * The one place errors become answers: whatever a route raises (an HttpError,
 * storage's StorageUnavailable, fastify's own rejections, or anything else)
 * and the 404 for unknown addresses.
 */
export function answerErrors(app: FastifyInstance, log: Logger, words: PageWords): void {
  const answer = (request: FastifyRequest, reply: FastifyReply, failure: HttpError) => {
    if (failure.logAs !== undefined) log.error({ err: failure.cause ?? failure, route: request.routeOptions.url }, failure.logAs);
    void reply.code(failure.status).headers(failure.headers);
    if (request.routeOptions.config.errors === "oauth2") {
      sendJson(reply.header("Cache-Control", "no-store"), failure, words);
    } else if (wantsHtml(request)) {
      const lang = requestLanguage(request, words);
      const text = failure.expose ? failure.message : lang.t(failure.text);
      sendPage(reply, failure.status, lang, messagePage(lang, lang.t(failure.title), text), ERROR_PAGE);
    } else {
      sendJson(reply, failure, words);
    }
  };

  app.setNotFoundHandler((request, reply) => {
    answer(request, reply, new NotFound());
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    answer(request, reply, asHttpError(error, request));
  });
}

/** True when the client prefers a web page (a browser) over JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  const htmlAt = accept.indexOf("text/html");
  const jsonAt = accept.indexOf("application/json");
  return htmlAt !== -1 && (jsonAt === -1 || htmlAt < jsonAt);
}

function sendJson(reply: FastifyReply, failure: HttpError, words: PageWords): void {
  // Programs read the code; the description stays in one language for them.
  const description = failure.expose ? failure.message : words.in(REFERENCE_LOCALE).t(failure.text);
  void reply.type("application/json; charset=utf-8").send({ error: failure.code, error_description: description });
}

/** What was raised, as the answer it deserves. */
function asHttpError(error: FastifyError, request: FastifyRequest): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof StorageUnavailable) return new TemporarilyUnavailable(error);
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 600) return new ServerError(error);
  if (status >= 500) return new ServerError(error, status);
  // Fastify's rejections (bad JSON, unsupported media type) have safe, useful messages.
  if (status !== 413) return new InvalidRequest(error.message, status);
  const tooLarge = `the request body is larger than ${request.routeOptions.bodyLimit} bytes`;
  // OAuth2 has no code for it: its callers read invalid_request and the limit.
  return request.routeOptions.config.errors === "oauth2" ? new InvalidRequest(tooLarge, 413) : new RequestTooLarge(tooLarge);
}

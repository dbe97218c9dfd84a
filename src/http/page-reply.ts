import type { FastifyReply, FastifyRequest } from "fastify";

import type { PageLanguage, PageWords } from "./pages/words.js";

/** The language a page is answered in: the one asked for with ?lang=, else Accept-Language, else the default. */
export function requestLanguage(request: FastifyRequest, words: PageWords): PageLanguage {
  const query = request.query as Record<string, unknown> | undefined;
  return words.choose(query?.lang, request.headers["accept-language"]);
}

/**
 * Pages carry personal data (addresses) and one-time forms: never cache them.
 * The language follows Accept-Language; the apps listed first follow the User-Agent.
 */
const PERSONAL_PAGE: Readonly<Record<string, string>> = { "Cache-Control": "no-store", Vary: "Accept-Language, User-Agent" };

/** Sends a page in its language; `headers` replace the defaults of a personal page. */
export function sendPage(reply: FastifyReply, status: number, lang: PageLanguage, body: string, headers = PERSONAL_PAGE): FastifyReply {
  return reply.code(status).headers(headers).header("Content-Language", lang.locale).type("text/html; charset=utf-8").send(body);
}

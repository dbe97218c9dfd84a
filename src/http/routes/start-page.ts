import type { FastifyInstance } from "fastify";

import { startPage } from "../pages/start-page.js";
import type { PageWords } from "../pages/words.js";
import { requestLanguage, sendPage } from "../page-reply.js";

export interface StartPageDeps {
  readonly host: string;
  readonly words: PageWords;
  /** Whether /register creates accounts without an invite. */
  readonly registrationOpen: boolean;
}

/** GET /: the start page instead of "page not found" for a visitor who types the address. */
export function registerStartPage(app: FastifyInstance, deps: StartPageDeps): void {
  app.get("/", async (request, reply) => {
    const lang = requestLanguage(request, deps.words);
    return sendPage(reply, 200, lang, startPage(lang, deps.host, deps.registrationOpen));
  });
}

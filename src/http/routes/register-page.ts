import type { FastifyInstance, FastifyRequest } from "fastify";

import type { OpenRegistration } from "../../accounts/open-registration.js";
import type { CsrfTokens } from "../csrf.js";
import type { RecommendedApp } from "../pages/apps.js";
import { offerFor } from "../pages/app-list.js";
import { registerPage, type SignupFormModel, successPage } from "../pages/invite-page.js";
import { messagePage } from "../pages/layout.js";
import type { PageLanguage, PageWords } from "../pages/words.js";
import type { ClientLimiter } from "../rate-limit.js";
import { requestLanguage, sendPage } from "../page-reply.js";
import { formRefusalText, guardForm, logFormRefusal, readSignupPost, signupErrorTexts } from "../signup-post.js";

export interface RegisterPageDeps {
  /** null when registration is by invitation only. */
  readonly registration: OpenRegistration | null;
  readonly csrf: CsrfTokens;
  readonly limiter: ClientLimiter;
  readonly host: string;
  readonly publicUrl: string;
  readonly apps: readonly RecommendedApp[];
  readonly words: PageWords;
}

const CSRF_SCOPE = "register";

/**
 * GET and POST /register: where the in-band registration redirect sends people.
 * With invites.registration_invite_only it explains how to get an invite;
 * otherwise it is an open registration form under the same rules and limits.
 */
export function registerRegisterPage(app: FastifyInstance, deps: RegisterPageDeps): void {
  const form = (username: string, errors: SignupFormModel["errors"]) => ({
    host: deps.host,
    formAction: "/register",
    csrf: deps.csrf.issue(CSRF_SCOPE),
    username,
    errors,
  });
  const language = (request: FastifyRequest) => requestLanguage(request, deps.words);
  const page = (request: FastifyRequest, lang: PageLanguage, filled: ReturnType<typeof form> | null) =>
    registerPage(lang, filled, deps.host, offerFor(deps.apps, request.headers["user-agent"]));

  app.get("/register", async (request, reply) => {
    const lang = language(request);
    return sendPage(reply, 200, lang, page(request, lang, deps.registration === null ? null : form("", {})));
  });

  app.post("/register", async (request, reply) => {
    const lang = language(request);
    const registration = deps.registration;
    if (registration === null) return sendPage(reply, 403, lang, page(request, lang, null));
    const posted = readSignupPost(request.body);
    if (posted === undefined) return sendPage(reply, 400, lang, messagePage(lang, lang.t("badRequestTitle"), lang.t("badRequestText")));
    const refused = guardForm(request, deps.publicUrl, deps.csrf, CSRF_SCOPE, posted.csrf);
    if (refused !== undefined) {
      logFormRefusal(request, refused);
      return sendPage(reply, 403, lang, page(request, lang, form(posted.username, { form: formRefusalText(lang, refused) })));
    }
    const result = await registration.register(posted, () => deps.limiter.attempt(request));
    if (result.ok) {
      request.log.info({ account: result.jid }, "account registered without invite");
      return sendPage(reply, 200, lang, successPage(lang, result.jid, false, null, offerFor(deps.apps, request.headers["user-agent"])));
    }
    switch (result.kind) {
      case "form":
        return sendPage(reply, 422, lang, page(request, lang, form(posted.username, signupErrorTexts(lang, result.errors))));
      case "limited":
        logFormRefusal(request, "rate-limit");
        return sendPage(reply, 429, lang, page(request, lang, form(posted.username, { form: formRefusalText(lang, "rate-limit") })));
      case "unavailable":
        return sendPage(reply, 503, lang, messagePage(lang, lang.t("tryLaterTitle"), lang.t("tryLaterRegister")));
      case "uncertain":
        return sendPage(reply, 503, lang, messagePage(lang, lang.t("notConfirmedTitle"), lang.t("uncertainRegistered", { jid: result.jid })));
    }
  });
}

import type { FastifyInstance } from "fastify";

import type { OpenRegistration } from "../../accounts/open-registration.js";
import type { CsrfTokens } from "../csrf.js";
import type { RecommendedApp } from "../pages/apps.js";
import { registerPage, type SignupFormModel, successPage } from "../pages/invite-page.js";
import { messagePage } from "../pages/layout.js";
import { STRINGS } from "../pages/strings.js";
import type { ClientLimiter } from "../rate-limit.js";
import { readSignupPost, sameOrigin, sendPage } from "../signup-post.js";

export interface RegisterPageDeps {
  /** null when registration is by invitation only. */
  readonly registration: OpenRegistration | null;
  readonly csrf: CsrfTokens;
  readonly limiter: ClientLimiter;
  readonly host: string;
  readonly publicUrl: string;
  readonly apps: readonly RecommendedApp[];
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

  app.get("/register", async (_request, reply) => sendPage(reply, 200, registerPage(deps.registration === null ? null : form("", {}), deps.host, deps.apps)));

  app.post("/register", async (request, reply) => {
    const registration = deps.registration;
    if (registration === null) return sendPage(reply, 403, registerPage(null, deps.host, deps.apps));
    const posted = readSignupPost(request.body);
    if (posted === undefined) return sendPage(reply, 400, messagePage(STRINGS.badRequestTitle, STRINGS.badRequestText));
    if (!deps.limiter.attempt(request)) return sendPage(reply, 429, registerPage(form(posted.username, { form: STRINGS.tooManyAttempts }), deps.host, deps.apps));
    if (!deps.csrf.verify(CSRF_SCOPE, posted.csrf) || !sameOrigin(request, deps.publicUrl)) {
      return sendPage(reply, 403, registerPage(form(posted.username, { form: STRINGS.csrfExpired }), deps.host, deps.apps));
    }
    const result = await registration.register(posted);
    if (result.ok) {
      request.log.info({ account: result.jid }, "account registered without invite");
      return sendPage(reply, 200, successPage(result.jid, false, null, deps.apps));
    }
    if (result.kind === "form") return sendPage(reply, 422, registerPage(form(posted.username, result.errors), deps.host, deps.apps));
    return sendPage(reply, 503, messagePage(STRINGS.tryLaterTitle, result.message));
  });
}

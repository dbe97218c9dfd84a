import type { FastifyRequest } from "fastify";

import { type SignupErrors, type SignupForm, signupProblemFacts } from "../accounts/credentials.js";
import { type CsrfTokens, FORM_LIFETIME_HOURS } from "./csrf.js";
import type { SignupFormModel } from "./pages/invite-page.js";
import type { PageLanguage } from "./pages/words.js";

/** A sign-up form as posted, each field a single string (absent fields are empty). */
export interface SignupPost extends SignupForm {
  readonly csrf: string;
}

/** Reads the posted form once; undefined when a field is repeated or the body is no form. */
export function readSignupPost(body: unknown): SignupPost | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  const text = (name: string): string | undefined => {
    const value = fields[name];
    if (value === undefined) return "";
    return typeof value === "string" ? value : undefined;
  };
  const username = text("username");
  const password = text("password");
  const passwordConfirm = text("password_confirm");
  const csrf = text("csrf");
  if (username === undefined || password === undefined || passwordConfirm === undefined || csrf === undefined) return undefined;
  return { username, password, passwordConfirm, csrf };
}

/** Why a posted form was turned away before anything was checked or done. */
export type FormRefusal = "origin" | "token-expired" | "token-invalid" | "rate-limit";

/**
 * Whether a posted form may be looked at: a browser's POST names its origin,
 * and a different one means another site submitted the form; the token must
 * be one this page issued, recently.
 */
export function guardForm(
  request: FastifyRequest,
  publicUrl: string,
  csrf: CsrfTokens,
  scope: string,
  token: string,
): Exclude<FormRefusal, "rate-limit"> | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== new URL(publicUrl).origin) return "origin";
  switch (csrf.verify(scope, token)) {
    case "valid":
      return undefined;
    case "expired":
      return "token-expired";
    case "invalid":
      return "token-invalid";
  }
}

/**
 * One line for every refused form, for the operator to see attacks and
 * misconfigured proxies; it names the route and the reason only, never the
 * client's address, the username or the token.
 */
export function logFormRefusal(request: FastifyRequest, reason: FormRefusal): void {
  request.log.info({ route: request.routeOptions.url, reason }, "form refused");
}

/** The sentence a refused form is shown again with. */
export function formRefusalText(lang: PageLanguage, reason: FormRefusal): string {
  switch (reason) {
    case "origin":
      return lang.t("formOtherOrigin");
    case "token-expired":
      return lang.t("formExpired", { hours: FORM_LIFETIME_HOURS });
    case "token-invalid":
      return lang.t("formTokenInvalid");
    case "rate-limit":
      return lang.t("tooManyAttempts");
  }
}

/** The sign-up problems in the page's words, by field. */
export function signupErrorTexts(lang: PageLanguage, errors: SignupErrors): SignupFormModel["errors"] {
  const texts: { -readonly [F in keyof SignupFormModel["errors"]]: string } = {};
  for (const [field, problem] of Object.entries(errors) as [keyof SignupErrors, NonNullable<SignupErrors[keyof SignupErrors]>][]) {
    texts[field] = lang.t(`problem.${problem}`, signupProblemFacts(problem));
  }
  return texts;
}

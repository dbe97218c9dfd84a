import xml, { type Element } from "@xmpp/xml";

import type { AccountGateway } from "../accounts/account-gateway.js";
import { checkSignupForm } from "../accounts/credentials.js";
import type { InBandPolicy } from "../accounts/in-band-policy.js";
import type { RateLimiter } from "../limits/rate-limiter.js";
import type { Disco } from "./disco.js";
import { buildForm, type FormSpec, parseSubmission } from "./forms.js";
import { NS } from "./namespaces.js";
import type { IqRouter } from "./router.js";
import { badRequest, StanzaError, type StanzaErrorCondition, type StanzaErrorType } from "./stanza-error.js";
import type { Spoken, XmppWords } from "./words/index.js";

// https://xmpp.org/extensions/xep-0077.html

export interface RegisterOptions {
  readonly policy: InBandPolicy;
  readonly accounts: AccountGateway;
  readonly redirect: { readonly url: string; readonly text: string | null };
  /** Also send the URL as jabber:x:oob. */
  readonly oob: boolean;
  readonly host: string;
  /** Whether an active invite keeps the username for its invitee. */
  readonly isReserved: (username: string) => boolean;
  /** Registrations per allow-list entry and window (http.form_limit, as for web forms). */
  readonly limiter: RateLimiter;
  readonly words: XmppWords;
}

function refused(condition: StanzaErrorCondition, type: StanzaErrorType, spoken: Spoken): StanzaError {
  return new StanzaError(condition, type, spoken.text, undefined, { lang: spoken.lang });
}

const FORM: FormSpec = {
  title: "Register an account",
  formType: NS.register,
  fields: [
    { var: "username", type: "text-single", label: "Username", required: true, maxLength: 64 },
    { var: "password", type: "text-private", label: "Password", required: true, maxLength: 1024 },
  ],
};

/**
 * jabber:iq:register on Porter's JID, as Prosody's mod_register_redirect
 * answers it: requesters not on the allow-list are told where to register
 * (instructions, an out-of-band URL and the same as a data form), and their
 * registrations refused; allow-listed ones get the fields and their account
 * is created on the server like a web registration.
 */
export function registerInBandRegistration(router: IqRouter, disco: Disco, options: RegisterOptions): void {
  disco.addFeature(NS.register);

  router.get(NS.register, "query", ({ from, lang }) => {
    if (!options.policy.mayRegister(from)) return redirectQuery(options, instructions(options, lang));
    const { text, lang: spoken } = options.words.say(lang, "register.instructions", { host: options.host });
    return xml("query", { xmlns: NS.register }, xml("instructions", { "xml:lang": spoken }, text), xml("username"), xml("password"), buildForm(FORM, "form"));
  });

  router.set(NS.register, "query", async ({ from, payload, lang }) => {
    const { words } = options;
    const entry = options.policy.admittedBy(from);
    if (entry === undefined) {
      throw refused("not-allowed", "cancel", words.say(lang, "register.not-open", { instructions: instructions(options, lang).text }));
    }
    if (payload.getChild("remove") !== undefined) throw refused("not-allowed", "cancel", words.say(lang, "register.no-removal"));
    const { username: given, password } = readCredentials(payload);
    const { username, errors } = checkSignupForm({ username: given, password, passwordConfirm: password }, null);
    const problem = errors.username ?? errors.password;
    if (problem !== undefined) throw refused("not-acceptable", "modify", words.signup(lang, problem));
    // XEP-0077 §3.1: a name the server will not give out is a conflict, as a taken one.
    if (options.isReserved(username)) throw refused("conflict", "cancel", words.signup(lang, "username-kept"));
    // Only attempts that reach the server count against the limit; mistakes above do not.
    // policy-violation/wait, as Prosody's mod_register_limits answers: the
    // requester broke a limit and may retry later. resource-constraint would
    // blame the server, and is what a server that cannot create accounts gets.
    if (!options.limiter.attempt(entry)) {
      const minutes = Math.max(1, Math.ceil(options.limiter.retryAfterSeconds(entry) / 60));
      throw refused("policy-violation", "wait", words.say(lang, "register.limited", { entry, minutes }));
    }
    const outcome = await options.accounts.createAccount(username, password);
    if (outcome.ok) return null;
    switch (outcome.reason) {
      case "taken":
        throw refused("conflict", "cancel", words.signup(lang, "username-taken"));
      case "unavailable":
        throw refused("resource-constraint", "wait", words.say(lang, "register.unavailable"));
      case "uncertain":
        throw refused("remote-server-timeout", "wait", words.say(lang, "register.uncertain"));
      case "not-permitted":
      case "missing":
      case "refused":
        throw refused("not-acceptable", "cancel", words.say(lang, "register.failed"));
    }
  });
}

/** Where to register instead: the operator's register_redirect.text, else Porter's words. */
function instructions(options: RegisterOptions, lang: string | undefined): Spoken {
  const { url, text } = options.redirect;
  // The operator's text is in whatever language the operator wrote it; it has no xml:lang of its own.
  return text === null ? options.words.say(lang, "register.redirect", { url, host: options.host }) : { text, lang: "" };
}

function redirectQuery(options: RegisterOptions, spoken: Spoken): Element {
  const { url } = options.redirect;
  const form = buildForm(
    {
      title: "Register on the web",
      instructions: spoken.text,
      formType: NS.register,
      fields: [{ var: "url", type: "fixed", values: [url] }],
    },
    "form",
  );
  const children = [xml("instructions", spoken.lang === "" ? {} : { "xml:lang": spoken.lang }, spoken.text), form];
  if (options.oob) children.push(xml("x", { xmlns: NS.oob }, xml("url", {}, url)));
  return xml("query", { xmlns: NS.register }, ...children);
}

/** Plain <username/> and <password/> children, or a submitted data form (XEP-0077 §6). */
function readCredentials(query: Element): { username: string; password: string } {
  const form = query.getChild("x", NS.dataForms);
  if (form !== undefined) {
    const values = parseSubmission(form, FORM);
    return { username: values.text("username") ?? "", password: values.raw("password") ?? "" };
  }
  const username = query.getChildText("username");
  const password = query.getChildText("password");
  if (username === null || password === null || username === "" || password === "") throw badRequest("username and password are required");
  return { username, password };
}

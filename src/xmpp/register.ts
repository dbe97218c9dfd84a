import xml, { type Element } from "@xmpp/xml";

import type { AccountGateway } from "../accounts/account-gateway.js";
import { checkSignupForm, RESERVED_MESSAGE } from "../accounts/credentials.js";
import type { InBandPolicy } from "../accounts/in-band-policy.js";
import type { RateLimiter } from "../limits/rate-limiter.js";
import type { Disco } from "./disco.js";
import { buildForm, type FormSpec, parseSubmission } from "./forms.js";
import { NS } from "./namespaces.js";
import type { IqRouter } from "./router.js";
import { badRequest, StanzaError } from "./stanza-error.js";

// https://xmpp.org/extensions/xep-0077.html

export interface RegisterOptions {
  readonly policy: InBandPolicy;
  readonly accounts: AccountGateway;
  readonly redirect: { readonly url: string; readonly instructions: string };
  /** Also send the URL as jabber:x:oob. */
  readonly oob: boolean;
  readonly host: string;
  /** Whether an active invite keeps the username for its invitee. */
  readonly isReserved: (username: string) => boolean;
  /** Registrations per allow-list entry and window (http.form_limit, as for web forms). */
  readonly limiter: RateLimiter;
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

  router.get(NS.register, "query", ({ from }) => {
    if (!options.policy.mayRegister(from)) return redirectQuery(options);
    return xml(
      "query",
      { xmlns: NS.register },
      xml("instructions", {}, `Choose a username and a password for a new account on ${options.host}.`),
      xml("username"),
      xml("password"),
      buildForm(FORM, "form"),
    );
  });

  router.set(NS.register, "query", async ({ from, payload }) => {
    const entry = options.policy.admittedBy(from);
    if (entry === undefined) {
      throw new StanzaError("not-allowed", "cancel", `Registration here is not open to you. ${options.redirect.instructions}`);
    }
    // policy-violation/wait, as Prosody's mod_register_limits answers: the
    // requester broke a limit and may retry later. resource-constraint would
    // blame the server, and is what a server that cannot create accounts gets.
    if (!options.limiter.attempt(entry)) {
      const minutes = Math.max(1, Math.ceil(options.limiter.retryAfterSeconds(entry) / 60));
      throw new StanzaError("policy-violation", "wait", `Too many registrations through Porter from ${entry}; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    }
    if (payload.getChild("remove") !== undefined) throw new StanzaError("not-allowed", "cancel", "Porter does not remove accounts.");
    const { username: given, password } = readCredentials(payload);
    const { username, errors } = checkSignupForm({ username: given, password, passwordConfirm: password }, null);
    const problem = errors.username ?? errors.password;
    if (problem !== undefined) throw new StanzaError("not-acceptable", "modify", problem);
    // XEP-0077 §3.1: a name the server will not give out is a conflict, as a taken one.
    if (options.isReserved(username)) throw new StanzaError("conflict", "cancel", RESERVED_MESSAGE);
    const outcome = await options.accounts.createAccount(username, password);
    if (outcome.ok) return null;
    switch (outcome.reason) {
      case "taken":
        throw new StanzaError("conflict", "cancel", "This username is already taken.");
      case "unavailable":
        throw new StanzaError("resource-constraint", "wait", "The server could not create the account right now; try again later.");
      case "uncertain":
        throw new StanzaError("remote-server-timeout", "wait", "The server did not confirm the account; try to log in with it, and register again if that fails.");
      case "not-permitted":
      case "missing":
      case "refused":
        throw new StanzaError("not-acceptable", "cancel", "The server did not create the account.");
    }
  });
}

function redirectQuery(options: RegisterOptions): Element {
  const { url, instructions } = options.redirect;
  const form = buildForm(
    {
      title: "Register on the web",
      instructions,
      formType: NS.register,
      fields: [{ var: "url", type: "fixed", values: [url] }],
    },
    "form",
  );
  const children = [xml("instructions", {}, instructions), form];
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

import xml, { type Element } from "@xmpp/xml";

import { NS } from "./namespaces.js";

// https://xmpp.org/rfcs/rfc6120.html#stanzas-error-conditions
export type StanzaErrorCondition =
  | "bad-request"
  | "conflict"
  | "feature-not-implemented"
  | "forbidden"
  | "internal-server-error"
  | "item-not-found"
  | "jid-malformed"
  | "not-acceptable"
  | "not-allowed"
  | "not-authorized"
  | "policy-violation"
  | "recipient-unavailable"
  | "remote-server-timeout"
  | "resource-constraint"
  | "service-unavailable"
  | "undefined-condition"
  | "unexpected-request";

export type StanzaErrorType = "auth" | "cancel" | "continue" | "modify" | "wait";

/**
 * An error Porter answers a stanza with. Handlers throw it; the router turns it
 * into the reply's <error/> element. Its text is written for the requester, so it
 * must never carry internal details.
 */
export class StanzaError extends Error {
  override name = "StanzaError";

  constructor(
    readonly condition: StanzaErrorCondition,
    readonly type: StanzaErrorType,
    readonly text?: string,
    /** An application-specific condition element, e.g. XEP-0050's <bad-sessionid/>. */
    readonly appCondition?: Element,
    /** `cause`: Porter's own failure behind the refusal, for the log, never sent; `lang`: the language of the text. */
    options?: ErrorOptions & { readonly lang?: string },
  ) {
    super(text === undefined ? condition : `${condition}: ${text}`, options);
    this.lang = options?.lang ?? "en";
  }

  readonly lang: string;

  toElement(): Element {
    const children: Element[] = [xml(this.condition, { xmlns: NS.stanzas })];
    if (this.text !== undefined) children.push(xml("text", { xmlns: NS.stanzas, "xml:lang": this.lang }, this.text));
    if (this.appCondition !== undefined) children.push(this.appCondition);
    return xml("error", { type: this.type }, ...children);
  }
}

export const badRequest = (text?: string, appCondition?: Element) => new StanzaError("bad-request", "modify", text, appCondition);
export const forbidden = (text?: string) => new StanzaError("forbidden", "auth", text);
export const itemNotFound = (text?: string) => new StanzaError("item-not-found", "cancel", text);

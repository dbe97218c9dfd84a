/**
 * Who asks Porter for something, from the edge where the request arrived to
 * the domain that answers it: an XMPP address as the server stamped it on the
 * stanza, or the operator at Porter's command line on the database.
 */
export type Requester = JidRequester | OperatorRequester;

/** The sender of a stanza, as the server stamped it. */
export interface JidRequester {
  readonly kind: "jid";
  /** local@domain, or the domain alone for a server or component. */
  readonly bare: string;
  readonly full: string;
  readonly local: string;
  readonly domain: string;
}

/** Whoever can run `porter` on the database already holds every right, so the command line is not an address. */
export interface OperatorRequester {
  readonly kind: "cli";
}

export const OPERATOR: OperatorRequester = { kind: "cli" };

/**
 * A sender's address exactly as the server stamped it. The JID library would
 * escape the localpart (XEP-0106: the account bob\ becomes bob\5c, which is
 * another real account), so Porter splits the text itself: every comparison
 * and every stored creator uses the account's own name.
 */
export function parseRequester(text: string): JidRequester | undefined {
  const slash = text.indexOf("/");
  const bare = slash === -1 ? text : text.slice(0, slash);
  const at = bare.indexOf("@");
  const local = at === -1 ? "" : bare.slice(0, at);
  const domain = bare.slice(at + 1);
  if (domain === "" || (at !== -1 && local === "") || (slash !== -1 && slash === text.length - 1)) return undefined;
  return { kind: "jid", bare, full: text, local, domain };
}

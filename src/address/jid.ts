/**
 * XMPP addresses as Porter needs them: bare JIDs of users and domain names.
 * This is deliberately stricter than RFC 7622 (no IDNs in U-label form, no
 * resource on configured JIDs), because every address Porter stores or
 * compares comes from configuration or from a server that already checked it.
 */

const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// RFC 7622 §3.3.1 forbids these in a localpart, plus whitespace and controls.
const LOCALPART_FORBIDDEN = /["&'/:<>@\s\p{Cc}]/u;

export interface BareJid {
  readonly local: string;
  readonly domain: string;
}

export function isDomain(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  return text.split(".").every((label) => DOMAIN_LABEL.test(label));
}

export function isLocalpart(text: string): boolean {
  return text.length > 0 && Buffer.byteLength(text) <= 1023 && !LOCALPART_FORBIDDEN.test(text);
}

/** Parses "user@domain" (no resource); domains are compared case-insensitively. */
export function parseBareJid(text: string): BareJid | undefined {
  const at = text.indexOf("@");
  if (at <= 0) return undefined;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (!isLocalpart(local) || !isDomain(domain)) return undefined;
  return { local, domain };
}

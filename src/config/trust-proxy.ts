import { isIP } from "node:net";

import { z } from "zod";

/**
 * Which proxies in front of Porter may name the client's address in
 * X-Forwarded-For. Proxies append to that header, so everything left of the
 * entries the trusted proxies wrote was chosen by the client.
 */
export type TrustProxy =
  /** No proxy: the client is the socket's peer. */
  | { readonly mode: "none" }
  /** Every address is trusted: the client picks the address counted (kept for compatibility, warned about). */
  | { readonly mode: "all" }
  /** The last `hops` addresses (the peer and hops-1 entries of the header) are proxies. */
  | { readonly mode: "hops"; readonly hops: number }
  /** Peers with these addresses or in these ranges are proxies, at any depth. */
  | { readonly mode: "addresses"; readonly addresses: readonly string[] };

/** The names @fastify/proxy-addr understands for the usual private ranges. */
const RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);
const MAX_HOPS = 32;

const TRUE_WORDS = new Set(["true", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "no", "off"]);

const MESSAGE =
  'must be false, the number of proxies in front of Porter (e.g. 1), or their addresses or ranges (e.g. "127.0.0.1" or "10.0.0.0/8,::1"; loopback, linklocal and uniquelocal name the private ranges)';

/** An address, an address/prefix, or one of the range names. */
export function isProxyAddress(value: string): boolean {
  if (RANGE_NAMES.has(value)) return true;
  const slash = value.indexOf("/");
  const address = slash === -1 ? value : value.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return false;
  if (slash === -1) return true;
  const prefix = value.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function parse(value: unknown): TrustProxy | string {
  if (value === true) return { mode: "all" };
  if (value === false || value === null) return { mode: "none" };
  if (typeof value === "number") return hops(value);
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { mode: "all" };
    if (FALSE_WORDS.has(word) || word === "") return { mode: "none" };
    // A variable is text: PORTER_HTTP_TRUST_PROXY=1 is one hop, not "true".
    if (/^\d+$/.test(word)) return hops(Number(word));
    return addresses(word.split(","));
  }
  if (Array.isArray(value)) {
    if (!value.every((item): item is string => typeof item === "string")) return MESSAGE;
    return addresses(value);
  }
  return MESSAGE;
}

function hops(count: number): TrustProxy | string {
  if (!Number.isInteger(count) || count < 0 || count > MAX_HOPS) return `a number of proxies must be a whole number from 0 to ${MAX_HOPS}`;
  return count === 0 ? { mode: "none" } : { mode: "hops", hops: count };
}

function addresses(items: readonly string[]): TrustProxy | string {
  const list = items.map((item) => item.trim().toLowerCase()).filter((item) => item.length > 0);
  if (list.length === 0) return { mode: "none" };
  const bad = list.filter((item) => !isProxyAddress(item));
  if (bad.length > 0) return `${bad.map((item) => JSON.stringify(item)).join(", ")} ${bad.length === 1 ? "is" : "are"} not an address or range: ${MESSAGE}`;
  return { mode: "addresses", addresses: list };
}

/** http.trust_proxy as written in YAML or PORTER_HTTP_TRUST_PROXY, validated into a TrustProxy. */
export const trustProxySetting = () =>
  z.unknown().transform((value, ctx): TrustProxy => {
    const parsed = parse(value);
    if (typeof parsed === "string") {
      ctx.addIssue({ code: "custom", message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

/** The setting in the config file's own vocabulary, for `porter config check`. */
export function formatTrustProxy(trust: TrustProxy): boolean | number | readonly string[] {
  switch (trust.mode) {
    case "none":
      return false;
    case "all":
      return true;
    case "hops":
      return trust.hops;
    case "addresses":
      return trust.addresses;
  }
}

import { isIPv6 } from "node:net";

import type { FastifyRequest } from "fastify";

import { RateLimiter } from "../limits/rate-limiter.js";

/**
 * The per-address limit of Porter's forms and OAuth2 registration, keyed by
 * the client's address as the trusted proxies report it (http.trust_proxy).
 */
export class ClientLimiter {
  private readonly limiter: RateLimiter;

  constructor(limit: number, windowMs: number, options: { readonly capacity?: number; readonly now?: () => number } = {}) {
    this.limiter = new RateLimiter(limit, windowMs, options);
  }

  /** Counts an attempt by the request's client; false when it is over its limit. */
  attempt(request: FastifyRequest): boolean {
    return this.limiter.attempt(clientKey(request.ip));
  }

  retryAfterSeconds(request: FastifyRequest): number {
    return this.limiter.retryAfterSeconds(clientKey(request.ip));
  }

  /** Client keys remembered now. */
  get size(): number {
    return this.limiter.size;
  }
}

/**
 * What one client is counted as: an IPv4 address itself (also when written
 * as an IPv4-mapped IPv6 address), an IPv6 address by its /64, since one
 * subscriber usually holds a whole /64 and can pick any address in it.
 */
export function clientKey(ip: string): string {
  // A zone (fe80::1%eth0) names the interface, not the client.
  const address = ip.replace(/%.*$/, "");
  if (!isIPv6(address)) return address;
  const groups = expandIPv6(address);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return ipv4FromGroups(groups[6] ?? 0, groups[7] ?? 0);
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (also with an embedded IPv4 tail). */
function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail !== null) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = rest === undefined || rest === "" ? [] : rest.split(":");
  const middle = rest === undefined ? [] : new Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16));
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a form stays submittable, in hours. */
export const FORM_LIFETIME_HOURS = 2;
const FORM_LIFETIME_S = FORM_LIFETIME_HOURS * 3600;

/** What a form's token says: issued here for this page and still fresh, too old, or not issued here for it. */
export type CsrfVerdict = "valid" | "expired" | "invalid";

/**
 * Anti-forgery tokens for Porter's forms: an HMAC of the page they belong to
 * and the time they were issued, under a key made at start. A form served
 * before a restart is simply shown again with a fresh token.
 */
export class CsrfTokens {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {}

  issue(scope: string): string {
    const issued = this.now();
    return `${issued}.${this.mac(scope, issued)}`;
  }

  verify(scope: string, token: string | undefined): CsrfVerdict {
    const [issuedText, mac] = (token ?? "").split(".");
    const issued = Number(issuedText);
    if (!Number.isInteger(issued) || mac === undefined || issued > this.now() + 60) return "invalid";
    const expected = Buffer.from(this.mac(scope, issued));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
    // Only a token this process issued can be called too old: anything else is simply not ours.
    return this.now() - issued > FORM_LIFETIME_S ? "expired" : "valid";
  }

  private mac(scope: string, issued: number): string {
    return createHmac("sha256", this.key).update(`${scope}\n${issued}`).digest("base64url");
  }
}

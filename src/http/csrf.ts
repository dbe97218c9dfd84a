import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a form stays submittable. */
const FORM_LIFETIME_S = 2 * 3600;

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

  verify(scope: string, token: string | undefined): boolean {
    const [issuedText, mac] = (token ?? "").split(".");
    const issued = Number(issuedText);
    if (!Number.isInteger(issued) || mac === undefined || this.now() - issued > FORM_LIFETIME_S || issued > this.now() + 60) return false;
    const expected = Buffer.from(this.mac(scope, issued));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(scope: string, issued: number): string {
    return createHmac("sha256", this.key).update(`${scope}\n${issued}`).digest("base64url");
  }
}

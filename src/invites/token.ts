import { createHash, randomBytes } from "node:crypto";

/** 24 random bytes: 192 bits, 32 base64url characters, safe in paths and xmpp: URIs. */
const TOKEN_BYTES = 24;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** The hash stored and looked up instead of the token. */
export function hashToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Cheap shape check before any lookup, so junk never reaches the database. */
export function isWellFormedToken(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}

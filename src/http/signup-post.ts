import type { FastifyReply, FastifyRequest } from "fastify";

import type { SignupForm } from "../accounts/credentials.js";

/** A sign-up form as posted, each field a single string (absent fields are empty). */
export interface SignupPost extends SignupForm {
  readonly csrf: string;
}

/** Reads the posted form once; undefined when a field is repeated or the body is no form. */
export function readSignupPost(body: unknown): SignupPost | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  const text = (name: string): string | undefined => {
    const value = fields[name];
    if (value === undefined) return "";
    return typeof value === "string" ? value : undefined;
  };
  const username = text("username");
  const password = text("password");
  const passwordConfirm = text("password_confirm");
  const csrf = text("csrf");
  if (username === undefined || password === undefined || passwordConfirm === undefined || csrf === undefined) return undefined;
  return { username, password, passwordConfirm, csrf };
}

export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  // Pages carry personal data (addresses) and one-time forms: never cache them.
  return reply.code(status).header("Cache-Control", "no-store").type("text/html; charset=utf-8").send(body);
}

/** A browser's POST names its origin; a different one means another site submitted the form. */
export function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === new URL(publicUrl).origin;
}

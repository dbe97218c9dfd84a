/**
 * Why an invite request was refused. The protocol edges map each reason to
 * their own error (a stanza error, an HTTP status, a CLI exit code); the
 * message is written for the person who asked.
 */
export type InviteRefusalReason = "not-permitted" | "not-found" | "gone" | "invalid" | "limit-active" | "limit-rate";

export class InviteRefusal extends Error {
  override name = "InviteRefusal";

  constructor(
    readonly reason: InviteRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Why an invite request was refused, as a code with the facts a sentence
 * needs. The domain never words it: each edge (pages, XMPP, CLI) turns the
 * code into its own words and its own error (a stanza error, an HTTP status,
 * an exit code).
 */
export type Refusal =
  | { readonly code: "no-such-invite" }
  | { readonly code: "expired" }
  | { readonly code: "revoked" }
  | { readonly code: "used" }
  /** The invite exists but is not for this use. */
  | { readonly code: "wrong-use"; readonly use: "register" | "reset" | "subscribe" }
  /** An active invite keeps this username for its invitee. */
  | { readonly code: "username-kept"; readonly username: string }
  /** The invite reserves another username than the one given. */
  | { readonly code: "wrong-account" }
  | { readonly code: "uses-out-of-range"; readonly max: number }
  | { readonly code: "reserved-name-single-use" }
  | { readonly code: "not-revocable"; readonly id: number }
  | { readonly code: "already-revoked"; readonly id: number }
  | { readonly code: "used-up"; readonly id: number }
  | { readonly code: "limit-active"; readonly max: number }
  | { readonly code: "limit-rate"; readonly max: number }
  | { readonly code: "not-local"; readonly host: string }
  | { readonly code: "not-admin" }
  /** `field` names what was asked for: the inviting contact, the reserved username or the account to reset. */
  | { readonly code: "bad-username"; readonly field: "contact" | "username" | "account"; readonly host: string }
  | { readonly code: "note-too-long"; readonly max: number }
  | { readonly code: "ttl-out-of-range" }
  | { readonly code: "account-exists"; readonly jid: string }
  | { readonly code: "no-account-to-reset"; readonly jid: string }
  /** A contact invite names someone without an account here. */
  | { readonly code: "no-contact-account"; readonly jid: string };

export type RefusalCode = Refusal["code"];

/** The kind of a refusal, which the edges map to their protocol's errors. */
export type InviteRefusalReason = "not-permitted" | "not-found" | "gone" | "invalid" | "limit-active" | "limit-rate";

const REASONS = {
  "no-such-invite": "not-found",
  expired: "gone",
  revoked: "gone",
  used: "gone",
  "wrong-use": "not-permitted",
  "username-kept": "invalid",
  "wrong-account": "invalid",
  "uses-out-of-range": "invalid",
  "reserved-name-single-use": "invalid",
  "not-revocable": "not-found",
  "already-revoked": "invalid",
  "used-up": "invalid",
  "limit-active": "limit-active",
  "limit-rate": "limit-rate",
  "not-local": "not-permitted",
  "not-admin": "not-permitted",
  "bad-username": "invalid",
  "note-too-long": "invalid",
  "ttl-out-of-range": "invalid",
  "account-exists": "invalid",
  "no-account-to-reset": "invalid",
  "no-contact-account": "invalid",
} as const satisfies Record<RefusalCode, InviteRefusalReason>;

export class InviteRefusal extends Error {
  override name = "InviteRefusal";

  constructor(readonly refusal: Refusal) {
    // The code, not a sentence: this text only ever reaches logs.
    super(refusal.code);
  }

  get reason(): InviteRefusalReason {
    return REASONS[this.refusal.code];
  }
}

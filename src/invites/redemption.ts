import type { AccountGateway } from "../accounts/account-gateway.js";
import type { ContactGateway } from "../accounts/contact-gateway.js";
import { checkSignupForm, type SignupErrors, type SignupForm } from "../accounts/credentials.js";
import { InviteRefusal } from "./errors.js";
import { contactOf, fixedAccountOf, type Invite } from "./invite.js";
import type { InviteService, InviteUse } from "./invite-service.js";
import type { UseLedger } from "./use-ledger.js";

export type RedemptionResult =
  | {
      readonly ok: true;
      readonly jid: string;
      readonly invite: Invite;
      /** The account the new one was to be paired with, and whether the server did it. */
      readonly contact: { readonly jid: string; readonly paired: boolean } | null;
    }
  /** Fix the form and submit again; the invite is untouched. */
  | { readonly ok: false; readonly kind: "form"; readonly errors: SignupErrors }
  /** The link opens no invite. */
  | { readonly ok: false; readonly kind: "not-found" }
  /** The invite cannot be used any more; for a reset, `account-missing`: its account no longer exists. */
  | { readonly ok: false; readonly kind: "gone"; readonly why: "expired" | "revoked" | "used" | "account-missing" }
  /** The invite is valid but creates no account (a user's contact invite while users' invites may not). */
  | { readonly ok: false; readonly kind: "closed" }
  /** The attempt would have reached the server, but the requester's limit does not admit it; the invite is untouched. */
  | { readonly ok: false; readonly kind: "limited" }
  /** The server could not do it now; the invite is still usable. */
  | { readonly ok: false; readonly kind: "unavailable" }
  /** The server stopped answering mid-way: the account may exist; the use is held until recovery knows. */
  | { readonly ok: false; readonly kind: "uncertain"; readonly jid: string; readonly reset: boolean };

/**
 * Turning an invite into an account (or a new password, for reset invites):
 * check the form, hold one use of the invite, ask the server, then make the
 * use final, or give it back if the server said no. If the answer never
 * comes, the use stays held for RedemptionRecovery. An invite is never used
 * beyond its uses, and a use is given back only when the server says the
 * account does not exist (docs/faults.md has the rare cases where a use stays
 * spent without the invitee's account).
 */
export class RedemptionService {
  constructor(
    private readonly invites: InviteService,
    private readonly ledger: UseLedger,
    private readonly accounts: AccountGateway,
    private readonly contacts: ContactGateway,
    private readonly host: string,
  ) {}

  /** What a web redemption of the invite does: a new account, a new password, or nothing (a contact invite that creates no account). */
  webUse(invite: Invite): Extract<InviteUse, "register" | "reset"> | null {
    if (invite.kind === "reset") return "reset";
    return this.invites.permits(invite, "register") ? "register" : null;
  }

  /** The invite behind a link, or why it cannot be used. */
  open(token: string): { readonly ok: true; readonly invite: Invite } | Extract<RedemptionResult, { kind: "not-found" | "gone" }> {
    try {
      return { ok: true, invite: this.invites.inspect(token) };
    } catch (err) {
      const refused = refusal(err);
      if (refused.ok || (refused.kind !== "not-found" && refused.kind !== "gone")) throw err;
      return refused;
    }
  }

  /**
   * `admit` is asked only once the form is found acceptable and a use is
   * held, just before the server is: mistakes in the form cost the requester
   * nothing; a refusal gives the use back.
   */
  async redeem(token: string, form: SignupForm, admit: () => boolean = () => true): Promise<RedemptionResult> {
    const opened = this.open(token);
    if (!opened.ok) return opened;
    const invite = opened.invite;
    const use = this.webUse(invite);
    if (use === null) return { ok: false, kind: "closed" };
    const { username, errors } = checkSignupForm(form, fixedAccountOf(invite));
    if (Object.keys(errors).length > 0) return { ok: false, kind: "form", errors };

    let reservation;
    try {
      reservation = this.ledger.reserve(token, username, use);
    } catch (err) {
      return refusal(err);
    }
    if (!admit()) {
      this.ledger.settle(reservation, false);
      return { ok: false, kind: "limited" };
    }
    const jid = `${username}@${this.host}`;
    const reset = use === "reset";
    let outcome;
    try {
      outcome = reset ? await this.accounts.changePassword(username, form.password) : await this.accounts.createAccount(username, form.password);
    } catch (err) {
      this.ledger.abandon(reservation);
      throw err;
    }
    if (outcome.ok) {
      // Written down now or by the next recovery: the account exists either way.
      this.ledger.settle(reservation, true);
      const contact = reset ? null : contactOf(invite, this.host);
      // Pairing is a convenience the page reports on.
      const paired = contact === null ? false : await this.contacts.pair(jid, contact);
      return { ok: true, jid, invite: reservation.invite, contact: contact === null ? null : { jid: contact, paired } };
    }
    if (outcome.reason === "uncertain") {
      this.ledger.abandon(reservation);
      return { ok: false, kind: "uncertain", jid, reset };
    }
    this.ledger.settle(reservation, false);
    switch (outcome.reason) {
      case "taken":
        return { ok: false, kind: "form", errors: { username: "username-taken" } };
      case "missing":
        return { ok: false, kind: "gone", why: "account-missing" };
      case "not-permitted":
      case "unavailable":
      case "refused":
        return { ok: false, kind: "unavailable" };
    }
  }
}

function refusal(err: unknown): RedemptionResult {
  if (!(err instanceof InviteRefusal)) throw err;
  const { refusal } = err;
  if (refusal.code === "no-such-invite") return { ok: false, kind: "not-found" };
  if (refusal.code === "expired" || refusal.code === "revoked" || refusal.code === "used") return { ok: false, kind: "gone", why: refusal.code };
  if (refusal.code === "username-kept" || refusal.code === "wrong-account") return { ok: false, kind: "form", errors: { username: refusal.code } };
  // The policy changed between opening the invite and reserving its use.
  if (refusal.code === "wrong-use") return { ok: false, kind: "closed" };
  // The rules of making and revoking invites never apply to redeeming one.
  throw err;
}

import type { AccountGateway } from "../accounts/account-gateway.js";
import type { ContactGateway } from "../accounts/contact-gateway.js";
import { checkSignupForm, type SignupErrors, type SignupForm, TAKEN_MESSAGE, TRY_LATER_MESSAGE } from "../accounts/credentials.js";
import { InviteRefusal } from "./errors.js";
import { contactOf, type Invite } from "./invite.js";
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
  /** The invite cannot be used (unknown, used, revoked, expired). */
  | { readonly ok: false; readonly kind: "not-found" | "gone"; readonly message: string }
  /** The invite is valid but creates no account (a user's contact invite while users' invites may not). */
  | { readonly ok: false; readonly kind: "closed"; readonly message: string }
  /** The server could not do it now; the invite is still usable. */
  | { readonly ok: false; readonly kind: "unavailable"; readonly message: string }
  /** The server stopped answering mid-way: the account may exist; the use is held until recovery knows. */
  | { readonly ok: false; readonly kind: "uncertain"; readonly message: string };

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

  /** The username this invite fixes (reserved name, or the account to reset), if any. */
  static fixedUsername(invite: Invite): string | null {
    return invite.kind === "contact" ? null : invite.username;
  }

  /** What a web redemption of the invite does: a new account, a new password, or nothing (a contact invite that creates no account). */
  webUse(invite: Invite): Extract<InviteUse, "register" | "reset"> | null {
    if (invite.kind === "reset") return "reset";
    return this.invites.permits(invite, "register") ? "register" : null;
  }

  /** The invite behind a link, or why it cannot be used, worded for the invitee. */
  open(token: string): { readonly ok: true; readonly invite: Invite } | Extract<RedemptionResult, { kind: "not-found" | "gone" }> {
    try {
      return { ok: true, invite: this.invites.inspect(token) };
    } catch (err) {
      const refused = refusal(err);
      if (refused.ok || (refused.kind !== "not-found" && refused.kind !== "gone")) throw err;
      return refused;
    }
  }

  async redeem(token: string, form: SignupForm): Promise<RedemptionResult> {
    const opened = this.open(token);
    if (!opened.ok) return opened;
    const invite = opened.invite;
    const use = this.webUse(invite);
    if (use === null) return { ok: false, kind: "closed", message: "This invite does not create accounts." };
    const { username, errors } = checkSignupForm(form, RedemptionService.fixedUsername(invite));
    if (Object.keys(errors).length > 0) return { ok: false, kind: "form", errors };

    let reservation;
    try {
      reservation = this.ledger.reserve(token, username, use);
    } catch (err) {
      return refusal(err);
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
      return { ok: false, kind: "uncertain", message: uncertainMessage(jid, reset) };
    }
    this.ledger.settle(reservation, false);
    switch (outcome.reason) {
      case "taken":
        return { ok: false, kind: "form", errors: { username: TAKEN_MESSAGE } };
      case "missing":
        return { ok: false, kind: "gone", message: "The account of this password reset no longer exists." };
      case "not-permitted":
      case "unavailable":
      case "refused":
        return { ok: false, kind: "unavailable", message: `${TRY_LATER_MESSAGE} Your invite is still valid.` };
    }
  }
}

function uncertainMessage(jid: string, reset: boolean): string {
  const what = reset ? `the new password of ${jid} was being set` : `${jid} was being created`;
  const signIn = reset ? "with the new password" : "with the password you chose";
  return (
    `The server stopped answering while ${what}. In a few minutes, try signing in to ${jid} ${signIn}. ` +
    "If that does not work, open this invite link again: it works again as soon as Porter has checked with the server that nothing was changed."
  );
}

function refusal(err: unknown): RedemptionResult {
  if (!(err instanceof InviteRefusal)) throw err;
  switch (err.reason) {
    case "not-found":
      return { ok: false, kind: "not-found", message: "This invite link is not valid. Check that it was copied completely." };
    case "gone":
      return { ok: false, kind: "gone", message: `Sorry, ${err.message}.` };
    case "invalid":
      return { ok: false, kind: "form", errors: { username: err.message } };
    // The policy changed between opening the invite and reserving its use.
    case "not-permitted":
      return { ok: false, kind: "closed", message: `Sorry, ${err.message}.` };
    case "limit-active":
    case "limit-rate":
      throw err;
  }
}

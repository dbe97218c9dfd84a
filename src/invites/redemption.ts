import type { AccountGateway } from "../accounts/account-gateway.js";
import type { ContactGateway } from "../accounts/contact-gateway.js";
import { checkSignupForm, type SignupErrors, type SignupForm, TAKEN_MESSAGE, TRY_LATER_MESSAGE } from "../accounts/credentials.js";
import { InviteRefusal } from "./errors.js";
import { contactOf, type Invite } from "./invite.js";
import type { InviteService } from "./invite-service.js";

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
  /** The server could not do it now; the invite is still usable. */
  | { readonly ok: false; readonly kind: "unavailable"; readonly message: string };

/**
 * Turning an invite into an account (or a new password, for reset invites):
 * check the form, hold one use of the invite, ask the server, then make the
 * use final, or give it back if the server said no. An invite is never spent
 * without its account, and never used twice.
 */
export class RedemptionService {
  constructor(
    private readonly invites: InviteService,
    private readonly accounts: AccountGateway,
    private readonly contacts: ContactGateway,
    private readonly host: string,
  ) {}

  /** The username this invite fixes (reserved name, or the account to reset), if any. */
  static fixedUsername(invite: Invite): string | null {
    return invite.kind === "contact" ? null : invite.username;
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
    const { username, errors } = checkSignupForm(form, RedemptionService.fixedUsername(invite));
    if (Object.keys(errors).length > 0) return { ok: false, kind: "form", errors };

    let reservation;
    try {
      reservation = this.invites.reserve(token, username);
    } catch (err) {
      return refusal(err);
    }
    const outcome =
      invite.kind === "reset" ? await this.accounts.changePassword(username, form.password) : await this.accounts.createAccount(username, form.password);
    if (outcome.ok) {
      this.invites.complete(reservation);
      const jid = `${username}@${this.host}`;
      const contact = invite.kind === "reset" ? null : contactOf(invite, this.host);
      // The account exists whatever happens here: pairing is a convenience the page reports on.
      const paired = contact === null ? false : await this.contacts.pair(jid, contact);
      return { ok: true, jid, invite: reservation.invite, contact: contact === null ? null : { jid: contact, paired } };
    }
    this.invites.release(reservation);
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

function refusal(err: unknown): RedemptionResult {
  if (!(err instanceof InviteRefusal)) throw err;
  switch (err.reason) {
    case "not-found":
      return { ok: false, kind: "not-found", message: "This invite link is not valid. Check that it was copied completely." };
    case "gone":
      return { ok: false, kind: "gone", message: `Sorry, ${err.message}.` };
    case "invalid":
      return { ok: false, kind: "form", errors: { username: err.message } };
    case "not-permitted":
    case "limit-active":
    case "limit-rate":
      throw err;
  }
}

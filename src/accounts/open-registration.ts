import type { AccountGateway } from "./account-gateway.js";
import { checkSignupForm, RESERVED_MESSAGE, type SignupErrors, type SignupForm, TAKEN_MESSAGE, TRY_LATER_MESSAGE } from "./credentials.js";

export type RegistrationResult =
  | { readonly ok: true; readonly jid: string }
  | { readonly ok: false; readonly kind: "form"; readonly errors: SignupErrors }
  | { readonly ok: false; readonly kind: "unavailable"; readonly message: string };

/** Registration without an invite, for servers where `invites.registration_invite_only` is false. */
export class OpenRegistration {
  constructor(
    private readonly accounts: AccountGateway,
    private readonly host: string,
    /** Whether an active invite keeps the username for its invitee (XEP-0401). */
    private readonly reserved: (username: string) => boolean,
  ) {}

  async register(form: SignupForm): Promise<RegistrationResult> {
    const { username, errors } = checkSignupForm(form, null);
    if (errors.username === undefined && this.reserved(username)) errors.username = RESERVED_MESSAGE;
    if (Object.keys(errors).length > 0) return { ok: false, kind: "form", errors };
    const outcome = await this.accounts.createAccount(username, form.password);
    if (outcome.ok) return { ok: true, jid: `${username}@${this.host}` };
    if (outcome.reason === "taken") return { ok: false, kind: "form", errors: { username: TAKEN_MESSAGE } };
    if (outcome.reason === "uncertain") {
      return {
        ok: false,
        kind: "unavailable",
        message: `The server stopped answering while ${username}@${this.host} was being created. In a few minutes, try signing in with the password you chose; if that does not work, register again.`,
      };
    }
    return { ok: false, kind: "unavailable", message: TRY_LATER_MESSAGE };
  }
}

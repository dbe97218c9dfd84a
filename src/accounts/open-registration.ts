import type { AccountGateway } from "./account-gateway.js";
import { checkSignupForm, type SignupErrors, type SignupForm } from "./credentials.js";

export type RegistrationResult =
  | { readonly ok: true; readonly jid: string }
  | { readonly ok: false; readonly kind: "form"; readonly errors: SignupErrors }
  /** The attempt would have reached the server, but the requester's limit does not admit it. */
  | { readonly ok: false; readonly kind: "limited" }
  | { readonly ok: false; readonly kind: "unavailable" }
  /** The server stopped answering mid-way: the account may exist. */
  | { readonly ok: false; readonly kind: "uncertain"; readonly jid: string };

/** Registration without an invite, for servers where `invites.registration_invite_only` is false. */
export class OpenRegistration {
  constructor(
    private readonly accounts: AccountGateway,
    private readonly host: string,
    /** Whether an active invite keeps the username for its invitee (XEP-0401). */
    private readonly reserved: (username: string) => boolean,
  ) {}

  /**
   * `admit` is asked only once the form is found acceptable, just before the
   * server is: mistakes in the form cost the requester nothing.
   */
  async register(form: SignupForm, admit: () => boolean = () => true): Promise<RegistrationResult> {
    const { username, errors } = checkSignupForm(form, null);
    if (errors.username === undefined && this.reserved(username)) errors.username = "username-kept";
    if (Object.keys(errors).length > 0) return { ok: false, kind: "form", errors };
    if (!admit()) return { ok: false, kind: "limited" };
    const jid = `${username}@${this.host}`;
    const outcome = await this.accounts.createAccount(username, form.password);
    if (outcome.ok) return { ok: true, jid };
    if (outcome.reason === "taken") return { ok: false, kind: "form", errors: { username: "username-taken" } };
    if (outcome.reason === "uncertain") return { ok: false, kind: "uncertain", jid };
    return { ok: false, kind: "unavailable" };
  }
}

import type { Requester } from "../access/requester.js";
import type { AccountGateway } from "../accounts/account-gateway.js";
import { InviteRefusal } from "./errors.js";
import type { AccountInviteOptions, CreatedInvite, InviteService } from "./invite-service.js";

/**
 * Invites that name an account, made only after the server confirmed the
 * account is as the invite needs it: a reserved name must be free, a password
 * reset must have an account to reset, a contact invite someone to become
 * a contact of. Where the server cannot tell now
 * (stream down, no answer), the invite is made and redemption reports the
 * problem later, as before.
 */
export class CheckedInvites {
  constructor(
    private readonly invites: InviteService,
    private readonly accounts: Pick<AccountGateway, "accountExists">,
    private readonly host: string,
  ) {}

  async createAccountInvite(requester: Requester, options: AccountInviteOptions): Promise<CreatedInvite> {
    const username = options.username === undefined || options.username === "" ? null : this.invites.usernameOf(options.username, "username");
    if (username !== null && (await this.accounts.accountExists(username)) === true) {
      throw new InviteRefusal({ code: "account-exists", jid: `${username}@${this.host}` });
    }
    return this.invites.createAccountInvite(requester, options);
  }

  /** A person asking makes a contact invite for themself; the command line names someone who must exist. */
  async createContactInvite(requester: Requester, options: Parameters<InviteService["createContactInvite"]>[1] = {}): Promise<CreatedInvite> {
    if (requester.kind === "cli") {
      const inviter = this.invites.usernameOf(options.inviter, "contact");
      if ((await this.accounts.accountExists(inviter)) === false) throw new InviteRefusal({ code: "no-contact-account", jid: `${inviter}@${this.host}` });
    }
    return this.invites.createContactInvite(requester, options);
  }

  async createResetInvite(requester: Requester, account: string, options: Parameters<InviteService["createResetInvite"]>[2] = {}): Promise<CreatedInvite> {
    const username = this.invites.usernameOf(account, "account");
    if ((await this.accounts.accountExists(username)) === false) throw new InviteRefusal({ code: "no-account-to-reset", jid: `${username}@${this.host}` });
    return this.invites.createResetInvite(requester, account, options);
  }
}

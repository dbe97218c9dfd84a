import type { AccountGateway, AccountOutcome } from "../../src/accounts/account-gateway.js";
import type { ContactGateway } from "../../src/accounts/contact-gateway.js";

/** A server whose answers the test scripts: outcomes in order, existence by name. */
export class ScriptedAccounts implements AccountGateway {
  readonly outcomes: (AccountOutcome | Promise<AccountOutcome>)[] = [];
  readonly existing = new Map<string, boolean | undefined>();
  readonly asked: string[] = [];

  createAccount(): Promise<AccountOutcome> {
    return Promise.resolve(this.outcomes.shift() ?? { ok: true });
  }
  changePassword(): Promise<AccountOutcome> {
    return this.createAccount();
  }
  accountExists(username: string): Promise<boolean | undefined> {
    this.asked.push(username);
    return Promise.resolve(this.existing.get(username));
  }
}

export class RecordingContacts implements ContactGateway {
  readonly pairs: string[] = [];
  pair(jid: string, contact: string): Promise<boolean> {
    this.pairs.push(`${jid} + ${contact}`);
    return Promise.resolve(true);
  }
}

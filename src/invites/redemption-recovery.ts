import type { AccountGateway } from "../accounts/account-gateway.js";
import type { ContactGateway } from "../accounts/contact-gateway.js";
import type { Logger } from "../log/logger.js";
import { contactOf, isSubscription } from "./invite.js";
import type { UseLedger } from "./use-ledger.js";

export interface RecoverySummary {
  readonly completed: number;
  readonly released: number;
  /** Left held: the server could not tell yet. */
  readonly unresolved: number;
}

/**
 * Settles the uses that redemptions left held: those whose server answer
 * never came (the server went away mid-way) and those of a Porter that was
 * killed mid-way. The server is asked whether the account exists: if it does,
 * the use is final (and the inviter told, and the two paired, as a redemption
 * would); if not, the invite gets its use back. An interrupted password reset
 * cannot be checked, so its invite is always given back: the account exists
 * either way, and the link works again. So is an interrupted approval of a
 * contact request (XEP-0379): the server delivered the request unapproved
 * when Porter did not answer. Run when the stream comes online and
 * on a schedule; runs never overlap.
 */
export class RedemptionRecovery {
  private running = false;
  private lastUnresolved = 0;

  constructor(
    private readonly ledger: UseLedger,
    private readonly accounts: AccountGateway,
    private readonly contacts: ContactGateway,
    private readonly host: string,
    private readonly log: Logger,
  ) {}

  async run(): Promise<RecoverySummary> {
    if (this.running) return { completed: 0, released: 0, unresolved: 0 };
    this.running = true;
    try {
      return await this.settleOrphans();
    } finally {
      this.running = false;
    }
  }

  private async settleOrphans(): Promise<RecoverySummary> {
    let completed = 0;
    let released = 0;
    let unresolved = 0;
    for (const { reservation, created: seen } of this.ledger.orphans()) {
      const { invite, account } = reservation;
      const created = seen ?? (invite.kind === "reset" || isSubscription(reservation) ? false : await this.accounts.accountExists(account));
      if (created === undefined) {
        unresolved += 1;
        continue;
      }
      if (!this.ledger.settle(reservation, created)) {
        unresolved += 1;
        continue;
      }
      const jid = isSubscription(reservation) ? account : `${account}@${this.host}`;
      if (created) {
        completed += 1;
        this.log.info({ invite: invite.id, account: jid }, "settled an interrupted redemption: the account exists, so the use is final");
        const contact = contactOf(invite, this.host);
        // A redemption that got this far before had already paired them.
        if (seen === undefined && contact !== null) await this.contacts.pair(jid, contact);
      } else {
        released += 1;
        const what =
          invite.kind === "reset"
            ? "an interrupted password reset: the link works again"
            : "an interrupted redemption: no account was created, so the invite has its use back";
        this.log.info({ invite: invite.id, account: jid }, `settled ${what}`);
      }
    }
    // Once per change, not every run while the server is away.
    if (unresolved !== this.lastUnresolved && unresolved > 0) {
      this.log.warn({ unresolved }, "interrupted redemptions wait for the XMPP server to tell whether their accounts exist; retrying");
    }
    this.lastUnresolved = unresolved;
    return { completed, released, unresolved };
  }
}

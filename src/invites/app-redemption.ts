import type { ContactGateway } from "../accounts/contact-gateway.js";
import type { Logger } from "../log/logger.js";
import { InviteRefusal } from "./errors.js";
import { contactOf, type Reservation } from "./invite.js";
import type { InviteService } from "./invite-service.js";
import type { UseLedger } from "./use-ledger.js";

/** An app registers within seconds of its pre-auth; an older check of the expiry is not trusted. */
const PREAUTH_HOLD_SECONDS = 15 * 60;
/**
 * A use held for the server that hears nothing back in this time (the server
 * died, or refused the account after asking) is left to recovery, which asks
 * the server whether the account exists.
 */
const SETTLE_TIMEOUT_MS = 60_000;

/** What a valid pre-auth tells the server. */
export interface PreAuth {
  /** When the invite was found valid (Unix seconds): its expiry is not checked again after. */
  readonly validAt: number;
  /** The only username the invite registers, if it reserves one. */
  readonly username: string | null;
}

/**
 * Invites redeemed by apps through Porter's module inside the server: the
 * app presents the token on the server's own stream (XEP-0445) and registers
 * there, or sends a contact request carrying it (XEP-0379). The server only
 * asks; every rule is Porter's, and every use goes through the same ledger as
 * web redemptions, so concurrency limits and recovery are the same.
 */
export class AppRedemption {
  private readonly held = new Map<number, { readonly reservation: Reservation; readonly timer: NodeJS.Timeout }>();

  constructor(
    private readonly invites: InviteService,
    private readonly ledger: UseLedger,
    private readonly contacts: ContactGateway,
    private readonly host: string,
    private readonly log: Logger,
    private readonly settleTimeoutMs = SETTLE_TIMEOUT_MS,
  ) {}

  /** The token opens an invite that may create an account now; refuses as InviteService.reserve does. */
  preauth(token: string): PreAuth {
    const invite = this.invites.inspect(token);
    if (!this.invites.permits(invite, "register")) throw new InviteRefusal({ code: "wrong-use", use: "register" });
    return { validAt: this.invites.currentTime(), username: invite.kind === "account" ? invite.reservedUsername : null };
  }

  /**
   * Holds one use for the account the server is about to create; returns the
   * redemption the server names when it reports back.
   */
  reserve(token: string, username: string, validAt: number): number {
    const now = this.invites.currentTime();
    const checkedAt = validAt >= now - PREAUTH_HOLD_SECONDS ? validAt : now;
    const reservation = this.ledger.reserve(token, username, "register", checkedAt);
    const id = reservation.redemptionId;
    const timer = setTimeout(() => {
      this.held.delete(id);
      this.ledger.abandon(reservation);
      this.log.warn({ invite: reservation.invite.id }, "the server did not report the account of an app redemption; recovery will ask it");
    }, this.settleTimeoutMs);
    timer.unref();
    this.held.set(id, { reservation, timer });
    return id;
  }

  /**
   * The server created the account: the use is final, the inviter is told,
   * and the two are paired when the invite says so. False for a redemption
   * this process does not hold (already settled, or held by a process that
   * died: recovery settles those).
   */
  async registered(redemptionId: number): Promise<boolean> {
    const held = this.held.get(redemptionId);
    if (held === undefined) return false;
    clearTimeout(held.timer);
    this.held.delete(redemptionId);
    const { reservation } = held;
    this.ledger.settle(reservation, true);
    const jid = `${reservation.account}@${this.host}`;
    this.log.info({ invite: reservation.invite.id, account: jid }, "invite redeemed by an app");
    const contact = contactOf(reservation.invite, this.host);
    if (contact !== null) await this.contacts.pair(jid, contact);
    return true;
  }

  /**
   * XEP-0379: `contact` (a bare JID) asks to become the contact of the local
   * user `user` with a token. True, and the use is spent, when the token is
   * that user's usable contact invite; false for any other token, whose
   * request the server then delivers as usual.
   */
  subscribe(token: string, user: string, contact: string): boolean {
    let reservation: Reservation;
    try {
      const invite = this.invites.inspect(token);
      if (invite.kind !== "contact" || invite.inviter !== user) return false;
      reservation = this.ledger.reserve(token, contact, "subscribe");
    } catch (err) {
      if (err instanceof InviteRefusal) return false;
      throw err;
    }
    this.ledger.settle(reservation, true);
    this.log.info({ invite: reservation.invite.id, contact }, "contact request approved with an invite");
    return true;
  }

  /** Stops the timers of uses still held; recovery settles them at the next start. */
  close(): void {
    for (const { reservation, timer } of this.held.values()) {
      clearTimeout(timer);
      this.ledger.abandon(reservation);
    }
    this.held.clear();
  }
}

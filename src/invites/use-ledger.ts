import type { Logger } from "../log/logger.js";
import type { Reservation } from "./invite.js";
import type { InviteService, InviteUse } from "./invite-service.js";

/** A use held in the database that no request of this process is working on. */
export interface OrphanUse {
  readonly reservation: Reservation;
  /** What this process saw the server do, when it could not write it down; undefined if never seen. */
  readonly created: boolean | undefined;
}

/**
 * Where the uses of invites are taken and settled, and what this process
 * knows of them beyond the database: which uses a request is still working
 * on, and which outcomes it saw but failed to write (a full disk, say). A use
 * that is neither stays pending in the database until recovery settles it, so
 * an invite is never given back while its account may exist.
 */
export class UseLedger {
  private readonly inFlight = new Set<number>();
  private readonly unwritten = new Map<number, boolean>();

  constructor(
    private readonly invites: InviteService,
    private readonly log: Logger,
  ) {}

  /** Holds one use for `account`; refuses as InviteService.reserve does. */
  reserve(token: string, account: string, use: InviteUse, validAt?: number): Reservation {
    const reservation = this.invites.reserve(token, account, use, validAt);
    this.inFlight.add(reservation.redemptionId);
    return reservation;
  }

  /**
   * Makes the use final (the account exists) or gives it back. Returns false
   * when the database refused the write: the outcome is kept in memory and
   * written by the next recovery.
   */
  settle(reservation: Reservation, created: boolean): boolean {
    const id = reservation.redemptionId;
    this.inFlight.delete(id);
    try {
      if (created) this.invites.complete(reservation);
      else this.invites.release(reservation);
      this.unwritten.delete(id);
      return true;
    } catch (err) {
      this.unwritten.set(id, created);
      this.log.error(
        { err, invite: reservation.invite.id, account: reservation.account, created },
        "could not record the outcome of a redemption; the use stays held and is recorded once the database takes writes",
      );
      return false;
    }
  }

  /** The server's answer never came: the use stays held until recovery finds out. */
  abandon(reservation: Reservation): void {
    this.inFlight.delete(reservation.redemptionId);
  }

  orphans(): OrphanUse[] {
    return this.invites
      .pendingUses()
      .filter((reservation) => !this.inFlight.has(reservation.redemptionId))
      .map((reservation) => ({ reservation, created: this.unwritten.get(reservation.redemptionId) }));
  }
}

interface InviteCommon {
  readonly id: number;
  /** Bare JID of the user or admin who created it, or "cli" for the operator's command line. */
  readonly creator: string;
  /** null: any number of uses until it expires. */
  readonly maxUses: number | null;
  readonly uses: number;
  readonly note: string | null;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

/** Creates an account on the served host. */
export interface AccountInvite extends InviteCommon {
  readonly kind: "account";
  /** The only username the invitee may register (XEP-0401), which no other registration may take meanwhile; null for any free one. */
  readonly reservedUsername: string | null;
  /** The new account and the creator become contacts. */
  readonly addContact: boolean;
}

/** Makes the invitee a contact of the inviter, and may also create the invitee's account. */
export interface ContactInvite extends InviteCommon {
  readonly kind: "contact";
  /** The local username whose contact the invitee becomes. */
  readonly inviter: string;
  /** It may also create an account (XEP-0401 ;ibr=y), while the policy allows it (InviteService.permits). */
  readonly allowRegistration: boolean;
}

/** Lets an existing local account set a new password. */
export interface ResetInvite extends InviteCommon {
  readonly kind: "reset";
  /** The local username whose password is reset. */
  readonly account: string;
}

/**
 * An invite as Porter keeps it. The token itself is never part of it: only
 * its hash is stored, and the plain token exists once, when it is created.
 * Each kind names the local account it is about for what it is to that kind.
 */
export type Invite = AccountInvite | ContactInvite | ResetInvite;

export type InviteKind = Invite["kind"];

export type InviteStatus = "active" | "expired" | "revoked" | "used";

export function inviteStatus(invite: Invite, now: number): InviteStatus {
  if (invite.revokedAt !== null) return "revoked";
  if (invite.expiresAt <= now) return "expired";
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return "used";
  return "active";
}

/** The creator recorded for invites made with the `porter` command line. */
export const CLI_CREATOR = "cli";

/** An invite in a list, with the accounts its completed uses were for (local usernames, or bare JIDs of contacts). */
export type ListedInvite = Invite & { readonly accounts: readonly string[] };

export interface ListFilter {
  readonly creator?: string;
  readonly activeOnly: boolean;
  readonly now: number;
  readonly limit?: number;
  readonly offset?: number;
}

/** The addresses of the accounts a listed invite's uses were for. */
export function accountsOf(invite: ListedInvite, host: string): string[] {
  return invite.accounts.map((account) => (isSubscription({ account }) ? account : `${account}@${host}`));
}

/** Omit on each member of a union, so that what is left still narrows by kind. */
export type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Fields of a new invite, as the service asks the store to insert it. */
export type NewInvite = OmitEach<Invite, "id" | "uses" | "revokedAt"> & { readonly tokenHash: Buffer };

/** Limits checked in the same transaction as the insert, so concurrent requests cannot overshoot. */
export interface CreationLimits {
  readonly maxActive: number;
  readonly maxCreatedSince: { readonly count: number; readonly since: number };
}

/**
 * What storing a new invite gave: the invite, or what refused it. "username-kept": another
 * active invite keeps the username an account invite would keep.
 */
export type InsertResult = { readonly ok: true; readonly invite: Invite } | { readonly ok: false; readonly reason: "max-active" | "rate" | "username-kept" };

/** A use of an invite held while the account is being created on the server. */
export interface Reservation {
  readonly redemptionId: number;
  readonly invite: Invite;
  /**
   * The local username the use is for, or, for someone who became the
   * inviter's contact from an account they already had (XEP-0379), that
   * account's bare JID.
   */
  readonly account: string;
}

/** A use by an existing account subscribing to the inviter, not a new or reset local account. */
export function isSubscription(reservation: Pick<Reservation, "account">): boolean {
  // Localparts cannot hold "@" (RFC 7622), so only a bare JID does.
  return reservation.account.includes("@");
}

export type ReserveResult =
  | { readonly ok: true; readonly reservation: Reservation }
  | { readonly ok: false; readonly reason: "unknown" | "expired" | "revoked" | "used" | "wrong-account" };

/** What the invite domain needs from storage. */
export interface InviteStore {
  /**
   * Stores a new invite, checking in the same transaction that its creator is within
   * `limits` (null: no limits) and that no other active invite keeps its reserved
   * username. Resolves once the invite is committed.
   */
  insert(invite: NewInvite, limits: CreationLimits | null): Promise<InsertResult>;
  findById(id: number): Invite | undefined;
  findByTokenHash(tokenHash: Buffer): Invite | undefined;
  /** Newest first; `creator` limits the list to one creator's invites; `limit` and `offset` page it. */
  list(filter: ListFilter): ListedInvite[];
  /** The active account invite that keeps this username for its invitee, if any (XEP-0401). */
  reservedBy(username: string, now: number): Invite | undefined;
  /** How many invites the filter lists in all, whatever the page. */
  count(filter: ListFilter): number;
  /** Marks the invite revoked; false when it does not exist, already was, or is used up. */
  revoke(id: number, now: number): boolean;
  /**
   * Takes one use of the invite for `account` in a single write transaction:
   * of two concurrent reservations of a single-use invite, exactly one wins.
   * Expiry is judged at `validAt` (an app's pre-auth may have checked it
   * moments before), everything else now.
   */
  reserveUse(tokenHash: Buffer, account: string, now: number, validAt: number): ReserveResult;
  /** The account exists: the use is final. */
  completeUse(redemptionId: number, now: number): void;
  /** The account could not be created: the use is given back. */
  releaseUse(redemptionId: number): void;
  /** Uses still held, oldest first: in progress, or left by a redemption whose outcome was never seen. */
  pendingUses(): Reservation[];
  /**
   * Deletes expired invites that were never used, and used ones that expired
   * before `historyBefore`, none with a use in progress; returns how many.
   */
  purgeExpired(now: number, historyBefore: number): number;
}

/** The local username an invite names: its reserved name (account; null for any), the inviter (contact), the account to reset (reset). */
export function namedUsernameOf(invite: Invite): string | null {
  switch (invite.kind) {
    case "account":
      return invite.reservedUsername;
    case "contact":
      return invite.inviter;
    case "reset":
      return invite.account;
  }
}

/** The only local account a use of the invite may be for: the reserved username or the account to reset; null for any. */
export function fixedAccountOf(invite: Invite): string | null {
  switch (invite.kind) {
    case "account":
      return invite.reservedUsername;
    case "reset":
      return invite.account;
    case "contact":
      return null;
  }
}

/** The account the invitee becomes a contact of, if the invite pairs them with someone. */
export function contactOf(invite: Invite, host: string): string | null {
  if (invite.kind === "contact") return `${invite.inviter}@${host}`;
  if (invite.kind === "account" && invite.addContact && invite.creator.includes("@")) return invite.creator;
  return null;
}

/** Who the pages name as having invited: the contact to be, or the person who made the invite. */
export function inviterOf(invite: Invite, host: string): string | null {
  return contactOf(invite, host) ?? (invite.kind !== "reset" && invite.creator.includes("@") ? invite.creator : null);
}

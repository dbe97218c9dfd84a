import type { Access } from "../access/access.js";
import { OPERATOR, parseRequester, type Requester } from "../access/requester.js";
import { isLocalpart } from "../address/jid.js";
import { InviteRefusal, type Refusal } from "./errors.js";
import {
  CLI_CREATOR,
  fixedAccountOf,
  type Invite,
  inviteStatus,
  type InviteStore,
  type ListedInvite,
  type ListFilter,
  type NewInvite,
  type OmitEach,
  type Reservation,
} from "./invite.js";
import { landingUrl, xmppUri } from "./links.js";
import { hashToken, isWellFormedToken, newToken } from "./token.js";

export interface InvitePolicy {
  readonly publicUrl: string;
  readonly allowUserInvites: boolean;
  /** Seconds. */
  readonly defaultTtl: number;
  readonly resetTtl: number;
  readonly maxActivePerUser: number;
  readonly maxCreatedPerHour: number;
  /** Seconds that used invites and their accounts stay listed after they expire. */
  readonly keepHistory: number;
}

export interface InvitePage {
  readonly invites: readonly ListedInvite[];
  /** How many invites the list has in all, beyond this page. */
  readonly total: number;
}

/**
 * What redeeming an invite does: create an account, set a new password, or
 * make the redeemer (who already has an account) the inviter's contact.
 */
export type InviteUse = "register" | "reset" | "subscribe";

export interface CreatedInvite {
  readonly invite: Invite;
  /** The plain token: shown once, never stored. */
  readonly token: string;
  readonly uri: string;
  readonly landingUrl: string;
}

export interface AccountInviteOptions {
  readonly username?: string | undefined;
  readonly ttl?: number | undefined;
  /** null: unlimited until expiry. Default 1. */
  readonly maxUses?: number | null | undefined;
  readonly note?: string | undefined;
  readonly addContact?: boolean | undefined;
}

/** What each kind of invite is made with; create() adds the token, the creator and the times. */
type InviteDraft = OmitEach<NewInvite, "tokenHash" | "creator" | "createdAt" | "expiresAt">;

type UsernameField = Extract<Refusal, { code: "bad-username" }>["field"];

/** Told when an invite has been used to create (or reset) an account. Must not throw. */
export type RedeemedListener = (event: { readonly invite: Invite; readonly account: string }) => void;

const MAX_NOTE_LENGTH = 500;
const MAX_TTL = 365 * 86_400;
export const MAX_USES = 10_000;
const HOUR = 3600;

/**
 * Creating, listing and revoking invites. Who may do what is Access's to
 * answer; the service asks it on every call because the command line and
 * the server's module reach it without passing the ad-hoc commands' checks.
 * Knows nothing of XMPP or HTTP: the edges turn its results and refusals into
 * their own answers.
 */
export class InviteService {
  private readonly redeemedListeners = new Set<RedeemedListener>();

  constructor(
    private readonly store: InviteStore,
    private readonly access: Access,
    private readonly policy: InvitePolicy,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  onRedeemed(listener: RedeemedListener): void {
    this.redeemedListeners.add(listener);
  }

  /**
   * First half of a redemption: holds one use of the invite for `account`
   * before the account is created on the server. Refuses unknown tokens
   * (not-found), spent ones (gone), another name than the reserved one
   * (invalid) and a use the invite does not permit (not-permitted).
   * `validAt`: when its expiry was checked, if earlier than now.
   */
  reserve(token: string, account: string, use: InviteUse, validAt?: number): Reservation {
    const found = this.findByToken(token);
    if (found === undefined) throw new InviteRefusal({ code: "no-such-invite" });
    const { key, invite } = found;
    if (!this.permits(invite, use)) throw new InviteRefusal({ code: "wrong-use", use });
    if (use === "register" && fixedAccountOf(invite) !== account && this.isReserved(account))
      throw new InviteRefusal({ code: "username-kept", username: account });
    const now = this.now();
    const result = this.store.reserveUse(key, account, now, Math.min(validAt ?? now, now));
    if (result.ok) return result.reservation;
    switch (result.reason) {
      case "unknown":
        throw new InviteRefusal({ code: "no-such-invite" });
      case "wrong-account":
        throw new InviteRefusal({ code: "wrong-account" });
      case "expired":
      case "revoked":
      case "used":
        throw new InviteRefusal({ code: result.reason });
    }
  }

  /**
   * Whether an active account invite keeps this username for its invitee:
   * every other registration through Porter must then choose another name.
   */
  isReserved(username: string): boolean {
    return this.store.reservedBy(username, this.now()) !== undefined;
  }

  /** Unix seconds, by the clock invites are judged with. */
  currentTime(): number {
    return this.now();
  }

  /** The invite a token opens, if it can still be used; refuses as reserve() does. */
  inspect(token: string): Invite {
    const invite = this.findByToken(token)?.invite;
    if (invite === undefined) throw new InviteRefusal({ code: "no-such-invite" });
    const status = inviteStatus(invite, this.now());
    if (status !== "active") throw new InviteRefusal({ code: status });
    return invite;
  }

  /**
   * Whether the invite may be used this way under today's policy. A user's
   * contact invite creates an account only while invites.allow_user_invites
   * is on, whenever it was made: turning the setting off closes every path
   * to an account through the invites users already handed out.
   */
  permits(invite: Invite, use: InviteUse): boolean {
    switch (use) {
      case "reset":
        return invite.kind === "reset";
      case "subscribe":
        return invite.kind === "contact";
      case "register":
        if (invite.kind === "account") return true;
        return invite.kind === "contact" && invite.allowRegistration && (this.policy.allowUserInvites || this.createdByAdmin(invite));
    }
  }

  /** The account exists: the use is final, and the invite's creator is told. */
  complete(reservation: Reservation): void {
    this.store.completeUse(reservation.redemptionId, this.now());
    for (const listener of this.redeemedListeners) listener({ invite: reservation.invite, account: reservation.account });
  }

  /** The server refused the account: the invite gets its use back. */
  release(reservation: Reservation): void {
    this.store.releaseUse(reservation.redemptionId);
  }

  /** Uses still held, oldest first (see InviteStore.pendingUses). */
  pendingUses(): Reservation[] {
    return this.store.pendingUses();
  }

  /** "New Invite": the user's own contact invite, which may also create an account. */
  async createContactInvite(
    requester: Requester,
    options: { readonly inviter?: string; readonly ttl?: number | undefined; readonly note?: string | undefined } = {},
  ): Promise<CreatedInvite> {
    this.requireLocal(requester);
    const inviter = requester.kind === "jid" ? requester.local : this.usernameOf(options.inviter, "contact");
    return this.create(
      requester,
      {
        kind: "contact",
        inviter,
        allowRegistration: this.access.isAdmin(requester) || this.policy.allowUserInvites,
        maxUses: 1,
        note: this.validNote(options.note),
      },
      this.validTtl(options.ttl ?? this.policy.defaultTtl),
    );
  }

  async createAccountInvite(requester: Requester, options: AccountInviteOptions = {}): Promise<CreatedInvite> {
    this.requireAdmin(requester);
    const maxUses = options.maxUses === undefined ? 1 : options.maxUses;
    if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > MAX_USES)) {
      throw new InviteRefusal({ code: "uses-out-of-range", max: MAX_USES });
    }
    const username = options.username === undefined || options.username === "" ? null : this.usernameOf(options.username, "username");
    if (username !== null && maxUses !== 1) throw new InviteRefusal({ code: "reserved-name-single-use" });
    return this.create(
      requester,
      { kind: "account", reservedUsername: username, addContact: options.addContact ?? false, maxUses, note: this.validNote(options.note) },
      this.validTtl(options.ttl ?? this.policy.defaultTtl),
    );
  }

  async createResetInvite(
    requester: Requester,
    account: string,
    options: { readonly ttl?: number | undefined; readonly note?: string | undefined } = {},
  ): Promise<CreatedInvite> {
    this.requireAdmin(requester);
    return this.create(
      requester,
      { kind: "reset", account: this.usernameOf(account, "account"), maxUses: 1, note: this.validNote(options.note) },
      this.validTtl(options.ttl ?? this.policy.resetTtl),
    );
  }

  /** Admins (and the CLI) see every invite, users their own; newest first, a page at a time when asked. */
  list(requester: Requester, options: { readonly activeOnly?: boolean; readonly limit?: number; readonly offset?: number } = {}): InvitePage {
    this.requireLocal(requester);
    const filter: ListFilter = {
      ...(this.access.isAdmin(requester) ? {} : { creator: creatorOf(requester) }),
      activeOnly: options.activeOnly ?? false,
      now: this.now(),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.offset === undefined ? {} : { offset: options.offset }),
    };
    return { invites: this.store.list(filter), total: this.store.count(filter) };
  }

  /** Revokes an invite its creator or an admin names; refuses others' invites as if they did not exist. */
  revoke(requester: Requester, id: number): Invite {
    this.requireLocal(requester);
    const invite = this.store.findById(id);
    if (invite === undefined || (!this.access.isAdmin(requester) && invite.creator !== creatorOf(requester))) {
      throw new InviteRefusal({ code: "not-revocable", id });
    }
    const status = inviteStatus(invite, this.now());
    if (status === "revoked") throw new InviteRefusal({ code: "already-revoked", id });
    // A used invite stays "used": the accounts it made are its history.
    if (status === "used" || !this.store.revoke(id, this.now())) throw new InviteRefusal({ code: "used-up", id });
    return this.store.findById(id) ?? invite;
  }

  /**
   * Removes expired invites that were never used, and used ones once they
   * expired longer than invites.keep_history ago; run on a schedule.
   */
  purgeExpired(): number {
    const now = this.now();
    return this.store.purgeExpired(now, now - this.policy.keepHistory);
  }

  status(invite: Invite): ReturnType<typeof inviteStatus> {
    return inviteStatus(invite, this.now());
  }

  /** The invite a token opens, with the key it was found by; malformed tokens never reach the store. */
  private findByToken(token: string): { readonly key: Buffer; readonly invite: Invite } | undefined {
    if (!isWellFormedToken(token)) return undefined;
    const key = hashToken(token);
    const invite = this.store.findByTokenHash(key);
    return invite === undefined ? undefined : { key, invite };
  }

  /** `ttl`: seconds it stays valid. Resolves once the invite is stored. */
  private async create(requester: Requester, fields: InviteDraft, ttl: number): Promise<CreatedInvite> {
    const now = this.now();
    const token = newToken(now);
    // Not { ...fields, tokenHash, ... }: on Node 20 a spread followed by more fields takes V8's slow path.
    const invite: NewInvite = Object.assign({}, fields, { tokenHash: hashToken(token), creator: creatorOf(requester), createdAt: now, expiresAt: now + ttl });
    const limits = this.access.isAdmin(requester)
      ? null
      : { maxActive: this.policy.maxActivePerUser, maxCreatedSince: { count: this.policy.maxCreatedPerHour, since: now - HOUR } };
    const result = await this.store.insert(invite, limits);
    if (!result.ok) throw this.refusalOf(result.reason, invite);
    return {
      invite: result.invite,
      token,
      uri: xmppUri(result.invite, token, this.access.host, this.permits(result.invite, "register")),
      landingUrl: landingUrl(this.policy.publicUrl, token),
    };
  }

  private refusalOf(reason: "max-active" | "rate" | "username-kept", invite: NewInvite): InviteRefusal {
    switch (reason) {
      case "max-active":
        return new InviteRefusal({ code: "limit-active", max: this.policy.maxActivePerUser });
      case "rate":
        return new InviteRefusal({ code: "limit-rate", max: this.policy.maxCreatedPerHour });
      case "username-kept":
        // Only an account invite that keeps a name is refused for it.
        return new InviteRefusal({ code: "username-kept", username: invite.kind === "account" ? (invite.reservedUsername ?? "") : "" });
    }
  }

  private createdByAdmin(invite: Invite): boolean {
    const creator = invite.creator === CLI_CREATOR ? OPERATOR : parseRequester(invite.creator);
    return creator !== undefined && this.access.isAdmin(creator);
  }

  private requireLocal(requester: Requester): void {
    if (!this.access.isLocal(requester)) throw new InviteRefusal({ code: "not-local", host: this.access.host });
  }

  private requireAdmin(requester: Requester): void {
    this.requireLocal(requester);
    if (!this.access.isAdmin(requester)) throw new InviteRefusal({ code: "not-admin" });
  }

  /** The username a form or command line names (a bare name or a JID of the host), or a refusal naming what it was for. */
  usernameOf(value: string | undefined, what: UsernameField): string {
    const username = value?.trim().toLowerCase() ?? "";
    // Given as a full JID on our host (as forms and the CLI often do), keep the localpart.
    const local = username.endsWith(`@${this.access.host}`) ? username.slice(0, -(this.access.host.length + 1)) : username;
    if (!isLocalpart(local) || local.length > 64) throw new InviteRefusal({ code: "bad-username", field: what, host: this.access.host });
    return local;
  }

  private validNote(note: string | undefined): string | null {
    const trimmed = note?.trim() ?? "";
    if (trimmed.length > MAX_NOTE_LENGTH) throw new InviteRefusal({ code: "note-too-long", max: MAX_NOTE_LENGTH });
    return trimmed === "" ? null : trimmed;
  }

  private validTtl(ttl: number): number {
    if (!Number.isInteger(ttl) || ttl < 60 || ttl > MAX_TTL) throw new InviteRefusal({ code: "ttl-out-of-range" });
    return ttl;
  }
}

function creatorOf(requester: Requester): string {
  return requester.kind === "cli" ? CLI_CREATOR : requester.bare;
}

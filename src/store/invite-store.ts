import {
  type CreationLimits,
  fixedAccountOf,
  type Invite,
  type InviteKind,
  inviteStatus,
  type InviteStore,
  type InsertResult,
  type ListedInvite,
  type ListFilter,
  type NewInvite,
  type Reservation,
  type ReserveResult,
} from "../invites/invite.js";
import type { Db } from "./database.js";
import { guarded } from "./errors.js";
import { GroupCommit } from "./group-commit.js";

interface InviteRow {
  id: number;
  kind: InviteKind;
  creator: string;
  username: string | null;
  allow_registration: number;
  add_contact: number;
  max_uses: number | null;
  uses: number;
  note: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const COLUMNS = "id, kind, creator, username, allow_registration, add_contact, max_uses, uses, note, created_at, expires_at, revoked_at";
const ACTIVE = "revoked_at IS NULL AND expires_at > @now AND (max_uses IS NULL OR uses < max_uses)";

/**
 * The username column holds what each kind names: an account invite's
 * reserved username (or NULL), a contact invite's inviter, a reset invite's
 * account. allow_registration is 1 for every account invite and add_contact
 * for every contact invite, as they always were written.
 */
function toInvite(row: InviteRow): Invite {
  // Object.assign rather than { ...common, kind }: on Node 20 a spread followed by more fields takes V8's slow path, 3 µs a row.
  const common = {
    id: row.id,
    creator: row.creator,
    maxUses: row.max_uses,
    uses: row.uses,
    note: row.note,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
  switch (row.kind) {
    case "account":
      return Object.assign(common, { kind: "account" as const, reservedUsername: row.username, addContact: row.add_contact === 1 });
    case "contact":
      return Object.assign(common, { kind: "contact" as const, inviter: namedAccount(row), allowRegistration: row.allow_registration === 1 });
    case "reset":
      return Object.assign(common, { kind: "reset" as const, account: namedAccount(row) });
  }
}

function namedAccount(row: InviteRow): string {
  if (row.username === null) throw new Error(`invite ${row.id}: a ${row.kind} invite without the account it is for`);
  return row.username;
}

/** The INSERT's parameters: each kind's own fields back in the columns toInvite reads them from. */
function toRow(invite: NewInvite): Record<string, unknown> {
  const { tokenHash, kind, creator, maxUses, note, createdAt, expiresAt } = invite;
  const common = { tokenHash, kind, creator, maxUses, note, createdAt, expiresAt };
  switch (invite.kind) {
    case "account":
      return Object.assign(common, { username: invite.reservedUsername, allowRegistration: 1, addContact: invite.addContact ? 1 : 0 });
    case "contact":
      return Object.assign(common, { username: invite.inviter, allowRegistration: invite.allowRegistration ? 1 : 0, addContact: 1 });
    case "reset":
      return Object.assign(common, { username: invite.account, allowRegistration: 0, addContact: 0 });
  }
}

interface ListParams {
  creator: string | null;
  activeOnly: 0 | 1;
  now: number;
}

function listParams(filter: ListFilter): ListParams {
  return { creator: filter.creator ?? null, activeOnly: filter.activeOnly ? 1 : 0, now: filter.now };
}

/** The invites table behind the domain's InviteStore, with prepared statements. */
export class SqliteInviteStore implements InviteStore {
  private readonly insertStatement;
  private readonly byId;
  private readonly byTokenHash;
  private readonly listPage;
  private readonly countListed;
  private readonly reservingInvite;
  private readonly revokeStatement;
  private readonly purgeStatement;
  private readonly reachesActiveLimit;
  private readonly reachesRateLimit;
  private readonly takeUse;
  private readonly giveBackUse;
  private readonly insertRedemption;
  private readonly finishRedemption;
  private readonly dropRedemption;
  private readonly listPending;

  private readonly writes;

  constructor(private readonly db: Db) {
    this.writes = new GroupCommit(db);
    this.insertStatement = db.prepare<[Record<string, unknown>], InviteRow>(
      `INSERT INTO invites (token_hash, kind, creator, username, allow_registration, add_contact, max_uses, note, created_at, expires_at)
       VALUES (@tokenHash, @kind, @creator, @username, @allowRegistration, @addContact, @maxUses, @note, @createdAt, @expiresAt)
       RETURNING ${COLUMNS}`,
    );
    this.byId = db.prepare<[number], InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE id = ?`);
    this.byTokenHash = db.prepare<[Buffer], InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE token_hash = ?`);
    // One statement for every list: the filters are few and admin lists are not hot.
    const listed = `FROM invites WHERE (@creator IS NULL OR creator = @creator) AND (@activeOnly = 0 OR (${ACTIVE}))`;
    this.listPage = db.prepare<[ListParams & { limit: number; offset: number }], InviteRow & { accounts: string | null }>(
      `SELECT ${COLUMNS},
              (SELECT group_concat(account, char(10)) FROM (SELECT account FROM redemptions r
                WHERE r.invite_id = invites.id AND r.state = 'completed' ORDER BY r.id)) AS accounts
         ${listed} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
    );
    this.reservingInvite = db.prepare<[{ username: string; now: number }], InviteRow>(
      `SELECT ${COLUMNS} FROM invites WHERE kind = 'account' AND username = @username AND ${ACTIVE} LIMIT 1`,
    );
    this.countListed = db.prepare<[ListParams], { n: number }>(`SELECT count(*) AS n ${listed}`);
    // A used invite keeps its status: revoking it would rewrite its history.
    this.revokeStatement = db.prepare<[{ id: number; now: number }]>(
      "UPDATE invites SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL AND (max_uses IS NULL OR uses < max_uses)",
    );
    this.purgeStatement = db.prepare<[{ now: number; historyBefore: number }]>(
      `DELETE FROM invites WHERE expires_at <= @now
         AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.invite_id = invites.id AND r.state = 'pending')
         AND (NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.invite_id = invites.id) OR expires_at <= @historyBefore)`,
    );
    // "Is there a max-th one": the index is read only up to the limit, and stepped over inside one
    // statement, which costs half as much per invite as counting the rows out of a subquery.
    this.reachesActiveLimit = db.prepare<[{ creator: string; now: number; max: number }], { reached: 0 | 1 }>(
      `SELECT EXISTS (SELECT 1 FROM invites INDEXED BY invites_active_by_creator WHERE creator = @creator AND ${ACTIVE} LIMIT 1 OFFSET @max - 1) AS reached`,
    );
    this.reachesRateLimit = db.prepare<[{ creator: string; since: number; max: number }], { reached: 0 | 1 }>(
      "SELECT EXISTS (SELECT 1 FROM invites WHERE creator = @creator AND created_at > @since LIMIT 1 OFFSET @max - 1) AS reached",
    );
    this.takeUse = db.prepare<[{ id: number }]>("UPDATE invites SET uses = uses + 1 WHERE id = @id AND (max_uses IS NULL OR uses < max_uses)");
    this.giveBackUse = db.prepare<[{ id: number }]>("UPDATE invites SET uses = uses - 1 WHERE id = @id AND uses > 0");
    this.insertRedemption = db.prepare<[{ inviteId: number; account: string; now: number }], { id: number }>(
      "INSERT INTO redemptions (invite_id, account, state, started_at) VALUES (@inviteId, @account, 'pending', @now) RETURNING id",
    );
    this.finishRedemption = db.prepare<[{ id: number; now: number }]>(
      "UPDATE redemptions SET state = 'completed', completed_at = @now WHERE id = @id AND state = 'pending'",
    );
    this.dropRedemption = db.prepare<[{ id: number }], { invite_id: number }>(
      "DELETE FROM redemptions WHERE id = @id AND state = 'pending' RETURNING invite_id",
    );
    this.listPending = db.prepare<[], InviteRow & { redemption_id: number; account: string }>(
      `SELECT r.id AS redemption_id, r.account, ${COLUMNS.split(", ")
        .map((column) => `i.${column}`)
        .join(", ")}
         FROM redemptions r JOIN invites i ON i.id = r.invite_id
        WHERE r.state = 'pending' ORDER BY r.id`,
    );
  }

  reserveUse(tokenHash: Buffer, account: string, now: number, validAt: number): ReserveResult {
    return guarded(() => {
      return this.db
        .transaction((): ReserveResult => {
          const row = this.byTokenHash.get(tokenHash);
          if (row === undefined) return { ok: false, reason: "unknown" };
          const invite = toInvite(row);
          const status = inviteStatus(invite, validAt);
          if (status !== "active") return { ok: false, reason: status };
          const fixed = fixedAccountOf(invite);
          if (fixed !== null && fixed !== account) return { ok: false, reason: "wrong-account" };
          if (this.takeUse.run({ id: invite.id }).changes !== 1) return { ok: false, reason: "used" };
          const redemption = this.insertRedemption.get({ inviteId: invite.id, account, now });
          if (redemption === undefined) throw new Error("INSERT ... RETURNING returned no row");
          return { ok: true, reservation: { redemptionId: redemption.id, invite: Object.assign({}, invite, { uses: invite.uses + 1 }), account } };
        })
        .immediate();
    });
  }

  completeUse(redemptionId: number, now: number): void {
    guarded(() => {
      this.finishRedemption.run({ id: redemptionId, now });
    });
  }

  releaseUse(redemptionId: number): void {
    guarded(() => {
      this.db
        .transaction(() => {
          const dropped = this.dropRedemption.get({ id: redemptionId });
          if (dropped !== undefined) this.giveBackUse.run({ id: dropped.invite_id });
        })
        .immediate();
    });
  }

  pendingUses(): Reservation[] {
    return guarded(() => {
      return this.listPending.all().map((row) => ({ redemptionId: row.redemption_id, invite: toInvite(row), account: row.account }));
    });
  }

  insert(invite: NewInvite, limits: CreationLimits | null): Promise<InsertResult> {
    // The group's IMMEDIATE transaction holds the write lock from the checks to the insert, also against the CLI.
    return this.writes.run((): InsertResult => {
      return guarded(() => {
        const now = invite.createdAt;
        if (limits !== null) {
          if (this.reachesActiveLimit.get({ creator: invite.creator, now, max: limits.maxActive })?.reached === 1) return { ok: false, reason: "max-active" };
          const { count, since } = limits.maxCreatedSince;
          if (this.reachesRateLimit.get({ creator: invite.creator, since, max: count })?.reached === 1) return { ok: false, reason: "rate" };
        }
        const kept = invite.kind === "account" ? invite.reservedUsername : null;
        if (kept !== null && this.reservingInvite.get({ username: kept, now }) !== undefined) return { ok: false, reason: "username-kept" };
        return { ok: true, invite: this.insertNow(invite) };
      });
    });
  }

  /** Runs inside insert's guarded transaction, which commits the row. */
  private insertNow(invite: NewInvite): Invite {
    const [row] = this.insertStatement.all(toRow(invite));
    if (row === undefined) throw new Error("INSERT ... RETURNING returned no row");
    return toInvite(row);
  }

  findById(id: number): Invite | undefined {
    return guarded(() => {
      const row = this.byId.get(id);
      return row === undefined ? undefined : toInvite(row);
    });
  }

  findByTokenHash(tokenHash: Buffer): Invite | undefined {
    return guarded(() => {
      const row = this.byTokenHash.get(tokenHash);
      return row === undefined ? undefined : toInvite(row);
    });
  }

  list(filter: ListFilter): ListedInvite[] {
    return guarded(() => {
      return this.listPage.all({ ...listParams(filter), limit: filter.limit ?? -1, offset: filter.offset ?? 0 }).map((row) => ({
        ...toInvite(row),
        accounts: row.accounts === null ? [] : row.accounts.split("\n"),
      }));
    });
  }

  reservedBy(username: string, now: number): Invite | undefined {
    return guarded(() => {
      const row = this.reservingInvite.get({ username, now });
      return row === undefined ? undefined : toInvite(row);
    });
  }

  count(filter: ListFilter): number {
    return guarded(() => {
      return this.countListed.get(listParams(filter))?.n ?? 0;
    });
  }

  revoke(id: number, now: number): boolean {
    return guarded(() => {
      return this.revokeStatement.run({ id, now }).changes === 1;
    });
  }

  purgeExpired(now: number, historyBefore: number): number {
    return guarded(() => {
      return this.purgeStatement.run({ now, historyBefore }).changes;
    });
  }
}

import {
  type CreationLimits,
  type Invite,
  type InviteKind,
  inviteStatus,
  type InviteStore,
  type LimitedInsert,
  type NewInvite,
  type Reservation,
  type ReserveResult,
} from "../invites/invite.js";
import type { Db } from "./database.js";

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

function toInvite(row: InviteRow): Invite {
  return {
    id: row.id,
    kind: row.kind,
    creator: row.creator,
    username: row.username,
    allowRegistration: row.allow_registration === 1,
    addContact: row.add_contact === 1,
    maxUses: row.max_uses,
    uses: row.uses,
    note: row.note,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** The invites table behind the domain's InviteStore, with prepared statements. */
export class SqliteInviteStore implements InviteStore {
  private readonly insertStatement;
  private readonly byId;
  private readonly byTokenHash;
  private readonly listAll;
  private readonly listActive;
  private readonly listByCreator;
  private readonly listActiveByCreator;
  private readonly revokeStatement;
  private readonly purgeStatement;
  private readonly countActiveByCreator;
  private readonly countCreatedSince;
  private readonly takeUse;
  private readonly giveBackUse;
  private readonly insertRedemption;
  private readonly finishRedemption;
  private readonly dropRedemption;
  private readonly listPending;

  constructor(private readonly db: Db) {
    this.insertStatement = db.prepare<[Record<string, unknown>], InviteRow>(
      `INSERT INTO invites (token_hash, kind, creator, username, allow_registration, add_contact, max_uses, note, created_at, expires_at)
       VALUES (@tokenHash, @kind, @creator, @username, @allowRegistration, @addContact, @maxUses, @note, @createdAt, @expiresAt)
       RETURNING ${COLUMNS}`,
    );
    this.byId = db.prepare<[number], InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE id = ?`);
    this.byTokenHash = db.prepare<[Buffer], InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE token_hash = ?`);
    this.listAll = db.prepare<[], InviteRow>(`SELECT ${COLUMNS} FROM invites ORDER BY created_at DESC, id DESC`);
    this.listActive = db.prepare<[{ now: number }], InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE ${ACTIVE} ORDER BY created_at DESC, id DESC`);
    this.listByCreator = db.prepare<[{ creator: string }], InviteRow>(
      `SELECT ${COLUMNS} FROM invites WHERE creator = @creator ORDER BY created_at DESC, id DESC`,
    );
    this.listActiveByCreator = db.prepare<[{ creator: string; now: number }], InviteRow>(
      `SELECT ${COLUMNS} FROM invites WHERE creator = @creator AND ${ACTIVE} ORDER BY created_at DESC, id DESC`,
    );
    this.revokeStatement = db.prepare<[{ id: number; now: number }]>("UPDATE invites SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL");
    this.purgeStatement = db.prepare<[{ before: number }]>(
      `DELETE FROM invites WHERE expires_at <= @before
         AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.invite_id = invites.id AND r.state = 'pending')`,
    );
    this.countActiveByCreator = db.prepare<[{ creator: string; now: number }], { n: number }>(
      `SELECT count(*) AS n FROM invites WHERE creator = @creator AND ${ACTIVE}`,
    );
    this.countCreatedSince = db.prepare<[{ creator: string; since: number }], { n: number }>(
      "SELECT count(*) AS n FROM invites WHERE creator = @creator AND created_at > @since",
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
      `SELECT r.id AS redemption_id, r.account, ${COLUMNS.split(", ").map((column) => `i.${column}`).join(", ")}
         FROM redemptions r JOIN invites i ON i.id = r.invite_id
        WHERE r.state = 'pending' ORDER BY r.id`,
    );
  }

  reserveUse(tokenHash: Buffer, account: string, now: number, validAt: number): ReserveResult {
    return this.db
      .transaction((): ReserveResult => {
        const row = this.byTokenHash.get(tokenHash);
        if (row === undefined) return { ok: false, reason: "unknown" };
        const invite = toInvite(row);
        const status = inviteStatus(invite, validAt);
        if (status !== "active") return { ok: false, reason: status };
        if (invite.kind !== "contact" && invite.username !== null && invite.username !== account) return { ok: false, reason: "wrong-account" };
        if (this.takeUse.run({ id: invite.id }).changes !== 1) return { ok: false, reason: "used" };
        const redemption = this.insertRedemption.get({ inviteId: invite.id, account, now });
        if (redemption === undefined) throw new Error("INSERT ... RETURNING returned no row");
        return { ok: true, reservation: { redemptionId: redemption.id, invite: { ...invite, uses: invite.uses + 1 }, account } };
      })
      .immediate();
  }

  completeUse(redemptionId: number, now: number): void {
    this.finishRedemption.run({ id: redemptionId, now });
  }

  releaseUse(redemptionId: number): void {
    this.db
      .transaction(() => {
        const dropped = this.dropRedemption.get({ id: redemptionId });
        if (dropped !== undefined) this.giveBackUse.run({ id: dropped.invite_id });
      })
      .immediate();
  }

  pendingUses(): Reservation[] {
    return this.listPending.all().map((row) => ({ redemptionId: row.redemption_id, invite: toInvite(row), account: row.account }));
  }

  insert(invite: NewInvite): Invite {
    // all(), not get(): get() stops at the returned row, and outside a transaction the commit
    // then happens in a statement reset whose error better-sqlite3 drops. On a full disk an
    // invite would be handed out that was never stored.
    const [row] = this.insertStatement.all({
      ...invite,
      allowRegistration: invite.allowRegistration ? 1 : 0,
      addContact: invite.addContact ? 1 : 0,
    });
    if (row === undefined) throw new Error("INSERT ... RETURNING returned no row");
    return toInvite(row);
  }

  insertWithinLimits(invite: NewInvite, limits: CreationLimits, now: number): LimitedInsert {
    // IMMEDIATE: the counts and the insert happen under one write lock, also against the CLI.
    return this.db
      .transaction((): LimitedInsert => {
        const active = this.countActiveByCreator.get({ creator: invite.creator, now })?.n ?? 0;
        if (active >= limits.maxActive) return { ok: false, reason: "max-active" };
        const recent = this.countCreatedSince.get({ creator: invite.creator, since: limits.maxCreatedSince.since })?.n ?? 0;
        if (recent >= limits.maxCreatedSince.count) return { ok: false, reason: "rate" };
        return { ok: true, invite: this.insert(invite) };
      })
      .immediate();
  }

  findById(id: number): Invite | undefined {
    const row = this.byId.get(id);
    return row === undefined ? undefined : toInvite(row);
  }

  findByTokenHash(tokenHash: Buffer): Invite | undefined {
    const row = this.byTokenHash.get(tokenHash);
    return row === undefined ? undefined : toInvite(row);
  }

  list(filter: { readonly creator?: string; readonly activeOnly: boolean; readonly now: number }): Invite[] {
    const { creator, activeOnly, now } = filter;
    const rows =
      creator === undefined
        ? activeOnly
          ? this.listActive.all({ now })
          : this.listAll.all()
        : activeOnly
          ? this.listActiveByCreator.all({ creator, now })
          : this.listByCreator.all({ creator });
    return rows.map(toInvite);
  }

  revoke(id: number, now: number): boolean {
    return this.revokeStatement.run({ id, now }).changes === 1;
  }

  purgeExpired(before: number): number {
    return this.purgeStatement.run({ before }).changes;
  }
}

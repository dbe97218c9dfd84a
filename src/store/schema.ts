import type { Migration } from "./migrations.js";

/** Porter's schema history. Never edit an applied migration: append a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "invites and redemptions",
    sql: `
      -- Only a SHA-256 hash of each token is stored: a copy of this file opens no doors.
      CREATE TABLE invites (
        id                 INTEGER PRIMARY KEY,
        token_hash         BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
        kind               TEXT NOT NULL CHECK (kind IN ('account', 'contact', 'reset')),
        creator            TEXT NOT NULL,
        username           TEXT,
        allow_registration INTEGER NOT NULL CHECK (allow_registration IN (0, 1)),
        add_contact        INTEGER NOT NULL CHECK (add_contact IN (0, 1)),
        max_uses           INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
        uses               INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
        note               TEXT,
        created_at         INTEGER NOT NULL,
        expires_at         INTEGER NOT NULL CHECK (expires_at > created_at),
        revoked_at         INTEGER
      );
      CREATE INDEX invites_by_creator ON invites (creator, created_at);
      CREATE INDEX invites_by_expiry ON invites (expires_at);

      -- One row per use: 'pending' while the account is being created on the server,
      -- 'completed' once it exists. A pending row counts as a use, so a use cannot be won twice.
      CREATE TABLE redemptions (
        id           INTEGER PRIMARY KEY,
        invite_id    INTEGER NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
        account      TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('pending', 'completed')),
        started_at   INTEGER NOT NULL,
        completed_at INTEGER
      );
      CREATE INDEX redemptions_by_invite ON redemptions (invite_id);
    `,
  },
  {
    version: 2,
    name: "revoked oauth2 clients",
    sql: `
      -- Registration stores nothing; revoking one client is the only OAuth2 write.
      -- Keyed by SHA-256(client_id): the client_id carries its metadata and need not be kept.
      CREATE TABLE oauth2_revoked_clients (
        client_hash BLOB PRIMARY KEY CHECK (length(client_hash) = 32),
        client_name TEXT NOT NULL,
        revoked_by  TEXT NOT NULL,
        revoked_at  INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: "health probe",
    sql: `
      -- One row that /healthz rewrites: a full disk or a read-only file still answers
      -- reads, so only a committed write shows that Porter can take invites.
      CREATE TABLE health_probe (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        written_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: "oauth2 revocation by jti",
    sql: `
      -- One client_id has several spellings that decode to the same signed bytes (the spare
      -- bits of base64url's last character, padding): revocation is keyed by what the
      -- signature covers, the id of the signing key and the jti.
      -- The rows revoked so far hold only SHA-256(client_id), from which no jti can be
      -- recovered: they are kept, under a name that says what they are, and still match.
      ALTER TABLE oauth2_revoked_clients RENAME TO oauth2_revoked_client_hashes;
      CREATE TABLE oauth2_revoked_clients (
        kid         TEXT NOT NULL,
        jti         TEXT NOT NULL,
        client_name TEXT NOT NULL,
        revoked_by  TEXT NOT NULL,
        revoked_at  INTEGER NOT NULL,
        PRIMARY KEY (kid, jti)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: "active invites by creator",
    sql: `
      -- The per-user limit counts a creator's active invites on every "New Invite". With only
      -- (creator, created_at) every one of the creator's invites, used and expired ones too, was
      -- read from the table; this index holds the unrevoked, unused ones with their expiry, so
      -- the count reads the index alone, and only as far as the limit.
      CREATE INDEX invites_active_by_creator ON invites (creator, expires_at)
        WHERE revoked_at IS NULL AND (max_uses IS NULL OR uses < max_uses);
    `,
  },
];

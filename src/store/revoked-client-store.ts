import { createHash } from "node:crypto";

import type { ClientKey } from "../oauth2/client-credentials.js";
import type { ClientDenylist } from "../oauth2/client-registry.js";
import type { Db } from "./database.js";
import { guarded } from "./errors.js";

interface RevokedClient {
  readonly clientName: string;
  readonly revokedBy: string;
  readonly revokedAt: number;
}

/**
 * The oauth2_revoked_clients table, keyed by key id and jti: a denylist
 * consulted on every client verification. Revocations recorded before schema
 * version 4 kept only SHA-256(client_id), from which no jti can be recovered;
 * they stay in oauth2_revoked_client_hashes and still match that client_id.
 */
export class SqliteRevokedClients implements ClientDenylist {
  private readonly lookup;
  private readonly lookupHash;
  private readonly insert;

  constructor(db: Db) {
    this.lookup = db.prepare<[string, string], { one: number }>("SELECT 1 AS one FROM oauth2_revoked_clients WHERE kid = ? AND jti = ?");
    this.lookupHash = db.prepare<[Buffer], { one: number }>("SELECT 1 AS one FROM oauth2_revoked_client_hashes WHERE client_hash = ?");
    this.insert = db.prepare<[string, string, string, string, number]>(
      "INSERT INTO oauth2_revoked_clients (kid, jti, client_name, revoked_by, revoked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kid, jti) DO NOTHING",
    );
  }

  isRevoked(client: ClientKey, clientId: string): boolean {
    return guarded(() => {
      if (this.lookup.get(client.kid, client.jti) !== undefined) return true;
      return this.lookupHash.get(createHash("sha256").update(clientId, "utf8").digest()) !== undefined;
    });
  }

  /** Adds a client; false when it was already revoked. */
  revoke(client: ClientKey, details: RevokedClient): boolean {
    return guarded(() => {
      return this.insert.run(client.kid, client.jti, details.clientName, details.revokedBy, details.revokedAt).changes === 1;
    });
  }
}

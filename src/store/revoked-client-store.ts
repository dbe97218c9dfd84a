import type { RevokedClients } from "../oauth2/client-credentials.js";
import type { Db } from "./database.js";

interface RevokedClient {
  readonly clientName: string;
  readonly revokedBy: string;
  readonly revokedAt: number;
}

/** The oauth2_revoked_clients table: a denylist consulted on every client verification. */
export class SqliteRevokedClients implements RevokedClients {
  private readonly lookup;
  private readonly insert;

  constructor(db: Db) {
    this.lookup = db.prepare<[Buffer], { one: number }>("SELECT 1 AS one FROM oauth2_revoked_clients WHERE client_hash = ?");
    this.insert = db.prepare<[Buffer, string, string, number]>(
      "INSERT INTO oauth2_revoked_clients (client_hash, client_name, revoked_by, revoked_at) VALUES (?, ?, ?, ?) ON CONFLICT (client_hash) DO NOTHING",
    );
  }

  isRevoked(clientHash: Buffer): boolean {
    return this.lookup.get(clientHash) !== undefined;
  }

  /** Adds a client; false when it was already revoked. */
  revoke(clientHash: Buffer, client: RevokedClient): boolean {
    return this.insert.run(clientHash, client.clientName, client.revokedBy, client.revokedAt).changes === 1;
  }
}

import type { Config } from "../config/schema.js";
import type { Db } from "../store/database.js";
import { SqliteRevokedClients } from "../store/revoked-client-store.js";
import { ClientRegistry } from "./client-registry.js";

/** The host's client registry as configured, or null when client registration is off. */
export function clientRegistryFrom(config: Config, db: Db): ClientRegistry | null {
  const keys = config.oauth2.registration_key;
  if (keys === null) return null;
  return new ClientRegistry({ keys, host: config.xmpp.host, ttl: config.oauth2.registration_ttl, denylist: new SqliteRevokedClients(db) });
}

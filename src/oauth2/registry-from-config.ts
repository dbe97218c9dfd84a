import type { Config } from "../config/schema.js";
import { type ClientDenylist, ClientRegistry } from "./client-registry.js";

/**
 * The host's client registry as configured, or null when client registration
 * is off. The denylist comes from whoever owns the storage (the composition
 * root, the CLI), so that this domain module stays apart from it; it is made
 * only when registration is on.
 */
export function clientRegistryFrom(config: Config, denylist: () => ClientDenylist): ClientRegistry | null {
  const keys = config.oauth2.registration_key;
  if (keys === null) return null;
  return new ClientRegistry({ keys, host: config.xmpp.host, ttl: config.oauth2.registration_ttl, denylist: denylist() });
}

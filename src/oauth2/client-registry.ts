import { type ClientCheck, ClientCredentials, type ClientKey, type IssuedClient, type RevokedClients } from "./client-credentials.js";
import { validateClientMetadata } from "./client-metadata.js";
import { RegistrationKeyring } from "./keyring.js";

export interface ClientDenylist extends RevokedClients {
  /** false when the client was already revoked. */
  revoke(client: ClientKey, details: { clientName: string; revokedBy: string; revokedAt: number }): boolean;
}

interface ClientRegistryOptions {
  readonly keys: readonly string[];
  readonly host: string;
  /** Seconds; null: clients do not expire. */
  readonly ttl: number | null;
  readonly denylist: ClientDenylist;
  /** Seconds since the epoch. */
  readonly now?: () => number;
  /** The jti of new clients; random unless a test fixes it. */
  readonly jti?: () => string;
}

export class ClientRevocationError extends Error {}

type Revocation = { readonly outcome: "revoked"; readonly clientName: string } | { readonly outcome: "already-revoked" };

/**
 * OAuth2 clients of one host: registration (validate, then sign; nothing is
 * stored), verification for the token endpoint, and revocation of one client.
 */
export class ClientRegistry {
  private readonly credentials: ClientCredentials;
  private readonly denylist: ClientDenylist;
  private readonly now: () => number;

  constructor(options: ClientRegistryOptions) {
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.denylist = options.denylist;
    this.credentials = new ClientCredentials(new RegistrationKeyring(options.keys, options.host), options.denylist, {
      ttl: options.ttl,
      now: this.now,
      ...(options.jti === undefined ? {} : { jti: options.jti }),
    });
  }

  /** Registers a client from a request body; throws ClientMetadataError when it is refused. */
  register(body: unknown): IssuedClient {
    return this.credentials.issue(validateClientMetadata(body));
  }

  verify(clientId: string, clientSecret: string): Promise<ClientCheck> {
    return this.credentials.verify(clientId, clientSecret);
  }

  inspect(clientId: string): Promise<ClientCheck> {
    return this.credentials.inspect(clientId);
  }

  /** Stops one client from verifying; throws ClientRevocationError for a client_id that is not ours. */
  async revoke(clientId: string, revokedBy: string): Promise<Revocation> {
    const check = await this.credentials.inspect(clientId);
    if (!check.ok) {
      if (check.reason === "revoked") return { outcome: "already-revoked" };
      throw new ClientRevocationError(check.reason === "expired" ? "this client has expired already" : "this is not a client_id registered on this host");
    }
    const clientName = check.client.metadata.client_name;
    // Keyed by key id and jti, so that every spelling of this client_id is revoked with it.
    // Two admins revoking at once: the second insert finds the row and changes nothing.
    const added = this.denylist.revoke(check.client.key, { clientName, revokedBy, revokedAt: this.now() });
    return added ? { outcome: "revoked", clientName } : { outcome: "already-revoked" };
  }
}

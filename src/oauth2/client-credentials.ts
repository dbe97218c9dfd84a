import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

import type { ClientMetadata } from "./client-metadata.js";
import { isCanonicalCompactJws } from "./compact-jws.js";
import { CLIENT_ID_TYP, type HostKey, type RegistrationKeyring } from "./keyring.js";

/** A registered client as the registration endpoint returns it (RFC 7591 §3.2.1). */
export interface IssuedClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  /** Seconds since the epoch; 0 when the client does not expire. */
  readonly secretExpiresAt: number;
  readonly metadata: ClientMetadata;
}

/** A client whose credentials checked out. */
interface VerifiedClient {
  readonly clientId: string;
  readonly key: ClientKey;
  readonly metadata: ClientMetadata;
  readonly issuedAt: number;
  readonly expiresAt: number | null;
}

/** Why a client was refused. The token endpoint answers every one of them with invalid_client. */
type ClientRefusal = "malformed" | "unknown-key" | "bad-signature" | "expired" | "revoked" | "bad-secret";

export type ClientCheck = { readonly ok: true; readonly client: VerifiedClient } | { readonly ok: false; readonly reason: ClientRefusal };

/**
 * What names one client whatever the spelling of its client_id: the key that
 * signed it and its jti, both covered by the signature.
 */
export interface ClientKey {
  readonly kid: string;
  readonly jti: string;
}

/** Single clients revoked by an admin: the only state stateless registration keeps. */
export interface RevokedClients {
  /** clientId is the canonical client_id, for revocations recorded before they were keyed by jti. */
  isRevoked(client: ClientKey, clientId: string): boolean;
}

export interface ClientCredentialsOptions {
  /** Lifetime of new clients in seconds; null: they do not expire. */
  readonly ttl: number | null;
  /** Seconds since the epoch. */
  readonly now?: () => number;
  /** The nonce that makes identical metadata give different clients; injectable for known-answer tests. */
  readonly jti?: () => string;
}

/** client_ids are bounded by the metadata limits; anything longer is not ours. */
const MAX_CLIENT_ID_LENGTH = 16 * 1024;
// Lowercase hex only: the one spelling of the 32-byte digest.
const SECRET_SHAPE = /^[0-9a-f]{64}$/;
// Porter's jti is a UUID; a signed client_id with anything else was not issued by this code.
const MAX_JTI_LENGTH = 64;
// Claims Porter adds beside the metadata; the rest of the payload is the metadata.
const OWN_CLAIMS = new Set(["iat", "exp", "jti"]);

/**
 * Stateless client credentials (the design of Prosody's mod_http_oauth2):
 *
 *     client_id     = HS256 JWS, signed with per_host_key, of metadata + jti (nonce) + iat (+ exp)
 *     client_secret = hex(HMAC-SHA256(per_host_key, client_id))
 *
 * Registering writes nothing; verifying needs only the keyring and the small
 * denylist. The random jti makes identical metadata give different clients.
 * Only the canonical spelling of a client_id is accepted, so one client has
 * one client_id.
 */
export class ClientCredentials {
  private readonly ttl: number | null;
  private readonly now: () => number;
  private readonly jti: () => string;

  constructor(
    private readonly keyring: RegistrationKeyring,
    private readonly revoked: RevokedClients,
    options: ClientCredentialsOptions,
  ) {
    this.ttl = options.ttl;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.jti = options.jti ?? randomUUID;
  }

  issue(metadata: ClientMetadata): IssuedClient {
    const key = this.keyring.signing;
    const issuedAt = this.now();
    // Not { ...metadata, iat, jti }: on Node 20 a spread followed by more fields takes V8's slow path, about 3 µs.
    const claims: Record<string, unknown> = Object.assign<Record<string, unknown>, ClientMetadata, object>({}, metadata, { iat: issuedAt, jti: this.jti() });
    // No exp at all when clients do not expire, so turning a TTL on later expires nobody at once.
    if (this.ttl !== null) claims.exp = issuedAt + this.ttl;
    const clientId = signHs256(claims, key);
    return {
      clientId,
      clientSecret: secretFor(key, clientId).toString("hex"),
      issuedAt,
      secretExpiresAt: this.ttl === null ? 0 : issuedAt + this.ttl,
      metadata,
    };
  }

  /** Checks a client_id and its client_secret, for client authentication at a token endpoint. */
  async verify(clientId: string, clientSecret: string): Promise<ClientCheck> {
    const decoded = await this.decode(clientId);
    if (!decoded.ok) return decoded.check;
    if (!SECRET_SHAPE.test(clientSecret) || !timingSafeEqual(Buffer.from(clientSecret, "hex"), secretFor(decoded.key, clientId))) {
      return { ok: false, reason: "bad-secret" };
    }
    return decoded.check;
  }

  /** Checks a client_id alone, where no secret is presented (an authorization request). */
  async inspect(clientId: string): Promise<ClientCheck> {
    return (await this.decode(clientId)).check;
  }

  private async decode(clientId: string): Promise<{ ok: true; check: ClientCheck; key: HostKey } | { ok: false; check: ClientCheck }> {
    const refuse = (reason: ClientRefusal) => ({ ok: false as const, check: { ok: false as const, reason } });
    if (clientId.length > MAX_CLIENT_ID_LENGTH || !isCanonicalCompactJws(clientId)) return refuse("malformed");
    // jose loads at the first check: issuing signs with node:crypto alone, and most Porters never check a client_id.
    const { errors, jwtVerify } = await import("jose");
    let key: HostKey | undefined;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(
        clientId,
        (header) => {
          key = this.keyring.find(header.kid);
          if (key === undefined) throw new UnknownKey();
          return key.keyObject;
        },
        // Pinned: without it jose would also accept HS384/HS512 made with the same key.
        { algorithms: ["HS256"], typ: CLIENT_ID_TYP, requiredClaims: ["iat", "jti"], currentDate: new Date(this.now() * 1000) },
      ));
    } catch (err) {
      if (err instanceof UnknownKey) return refuse("unknown-key");
      if (err instanceof errors.JWTExpired) return refuse("expired");
      if (err instanceof errors.JWSSignatureVerificationFailed) return refuse("bad-signature");
      if (err instanceof errors.JOSEError || err instanceof TypeError) return refuse("malformed");
      throw err;
    }
    if (key === undefined) return refuse("unknown-key");
    const { jti } = payload;
    if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) return refuse("malformed");
    const clientKey: ClientKey = { kid: key.kid, jti };
    if (this.revoked.isRevoked(clientKey, clientId)) return refuse("revoked");
    const metadata = Object.fromEntries(Object.entries(payload).filter(([claim]) => !OWN_CLAIMS.has(claim))) as unknown as ClientMetadata;
    const client: VerifiedClient = {
      clientId,
      key: clientKey,
      metadata,
      issuedAt: payload.iat as number,
      expiresAt: typeof payload.exp === "number" ? payload.exp : null,
    };
    return { ok: true, check: { ok: true, client }, key };
  }
}

class UnknownKey extends Error {}

/**
 * A compact HS256 JWS, signed with node:crypto directly. jose signs through
 * WebCrypto at about 140 µs per token, twenty times an HMAC, and registration
 * throughput is a goal; the format is fixed and small, and jose verifies it.
 */
function signHs256(claims: Record<string, unknown>, key: HostKey): string {
  const signingInput = `${key.header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${signingInput}.${createHmac("sha256", key.bytes).update(signingInput).digest("base64url")}`;
}

function secretFor(key: HostKey, clientId: string): Buffer {
  return createHmac("sha256", key.bytes).update(clientId, "utf8").digest();
}

import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";

/** The JWS header's typ: a client_id can never pass for another kind of token Porter signs. */
export const CLIENT_ID_TYP = "oauth-client+jwt";

/** Shorter keys are refused: HS256 and the HMAC secrets are only as strong as the key. */
const MIN_KEY_BYTES = 32;

/** One configured registration key, narrowed to the served host. */
export interface HostKey {
  /** Names the key in the client_id's header; a hash, so it reveals nothing about the key. */
  readonly kid: string;
  /** per_host_key = HMAC-SHA256(registration_key, host): signs client_ids and derives their secrets. */
  readonly bytes: Buffer;
  /** The same bytes as a KeyObject: jose verifies with it without re-importing. */
  readonly keyObject: KeyObject;
  /** The base64url JWS protected header of client_ids signed with this key; the same for every client. */
  readonly header: string;
}

export class KeyringError extends Error {}

/**
 * The registration keys for one host. Deriving every key from the host binds
 * each client to it: a client_id registered on another host fails to verify
 * here even when both hosts share the configured key. The first key signs new
 * clients; every key verifies, so rotation is "prepend the new key, drop the
 * old one once its clients are gone".
 */
export class RegistrationKeyring {
  readonly signing: HostKey;
  private readonly byKid: ReadonlyMap<string, HostKey>;

  constructor(keys: readonly string[], host: string) {
    if (keys.length === 0) throw new KeyringError("at least one registration key is needed");
    const derived = keys.map((key) => {
      if (Buffer.byteLength(key) < MIN_KEY_BYTES) throw new KeyringError(`registration keys must be at least ${MIN_KEY_BYTES} bytes long`);
      return deriveHostKey(key, host);
    });
    const byKid = new Map<string, HostKey>();
    for (const key of derived) if (!byKid.has(key.kid)) byKid.set(key.kid, key);
    this.signing = derived[0] as HostKey;
    this.byKid = byKid;
  }

  /** The verifying key named by a client_id's header, if it is still configured. */
  find(kid: unknown): HostKey | undefined {
    return typeof kid === "string" ? this.byKid.get(kid) : undefined;
  }
}

function deriveHostKey(key: string, host: string): HostKey {
  const bytes = createHmac("sha256", key).update(host, "utf8").digest();
  const kid = createHash("sha256").update("porter oauth2 kid\0").update(bytes).digest().subarray(0, 12).toString("base64url");
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: CLIENT_ID_TYP, kid })).toString("base64url");
  return { kid, bytes, keyObject: createSecretKey(bytes), header };
}

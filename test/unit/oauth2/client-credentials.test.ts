import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { describe, it } from "node:test";

import { base64url, decodeProtectedHeader, SignJWT } from "jose";

import type { ClientKey } from "../../../src/oauth2/client-credentials.js";
import { ClientRegistry, ClientRevocationError, type ClientDenylist } from "../../../src/oauth2/client-registry.js";
import { CLIENT_ID_TYP, KeyringError } from "../../../src/oauth2/keyring.js";

const KEY_A = "a".repeat(32) + "-first-registration-key";
const KEY_B = "b".repeat(32) + "-second-registration-key";
const HOST = "example.com";
const METADATA = { client_name: "App", client_uri: "https://app.example/", redirect_uris: ["https://app.example/cb"] };

class MemoryDenylist implements ClientDenylist {
  readonly keys = new Set<string>();
  isRevoked(client: ClientKey): boolean {
    return this.keys.has(`${client.kid} ${client.jti}`);
  }
  revoke(client: ClientKey): boolean {
    const before = this.keys.size;
    this.keys.add(`${client.kid} ${client.jti}`);
    return this.keys.size > before;
  }
}

interface RegistryOptions {
  keys?: string[];
  host?: string;
  ttl?: number | null;
  now?: () => number;
  jti?: () => string;
  denylist?: MemoryDenylist;
}

function registry(options: RegistryOptions = {}) {
  return new ClientRegistry({
    keys: options.keys ?? [KEY_A],
    host: options.host ?? HOST,
    ttl: options.ttl ?? null,
    denylist: options.denylist ?? new MemoryDenylist(),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.jti === undefined ? {} : { jti: options.jti }),
  });
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Other spellings of a segment that decode to the same bytes: the last
 * character of a 43-character HS256 signature carries 4 bits, and its 2 spare
 * bits are free.
 */
function respelledLastCharacter(segment: string, spareBits: number): string {
  const index = BASE64URL.indexOf(segment.slice(-1));
  return segment.slice(0, -1) + (BASE64URL[index ^ spareBits] ?? "");
}

// KEY_A, HOST, iat 1700000000 and the jti of the test below, computed from docs/decisions/0004 with
// another HMAC and JSON implementation (Python's hmac and json): any change to the key derivation,
// the kid, the header, the claims or their order changes these strings. handMadeClient below derives them
// a second time, in this file, from the written rules.
const KNOWN_CLIENT_ID = [
  "eyJhbGciOiJIUzI1NiIsInR5cCI6Im9hdXRoLWNsaWVudCtqd3QiLCJraWQiOiJ5WEltT1BlYlRWRVJEVFh5In0",
  "eyJjbGllbnRfbmFtZSI6IkFwcCIsImNsaWVudF91cmkiOiJodHRwczovL2FwcC5leGFtcGxlLyIsInJlZGlyZWN0X3VyaXMiOlsiaHR0cHM6Ly9hcHAuZXhhbXBsZS9jYiJdLCJhcHBsaWNhdGlvbl90eXBlIjoid2ViIiwiZ3JhbnRfdHlwZXMiOlsiYXV0aG9yaXphdGlvbl9jb2RlIl0sInJlc3BvbnNlX3R5cGVzIjpbImNvZGUiXSwidG9rZW5fZW5kcG9pbnRfYXV0aF9tZXRob2QiOiJjbGllbnRfc2VjcmV0X2Jhc2ljIiwiaWF0IjoxNzAwMDAwMDAwLCJqdGkiOiI2ZjFjMWQyZS04YTRiLTRjNWQtOWU2Zi0wYTFiMmMzZDRlNWYifQ",
  "sGiSTUBVq4-ilqYxVzGq5gdrKdYU2hvbNeuqGwisGa4",
].join(".");
const KNOWN_CLIENT_SECRET = "2398873aaae198af9060f658ef131621e835e8c8234d6d27ba996091422de01b";

const perHostKey = (key: string, host: string) => createHmac("sha256", key).update(host).digest();

/** RFC 7515 Appendix C: base64 with the URL-safe alphabet of RFC 4648 §5 and no padding. */
const base64urlByHand = (bytes: Buffer) => bytes.toString("base64").replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/**
 * The known answer built from the rules instead of by the code under test:
 * docs/decisions/0004 for the keys and claims, RFC 7515 §7.1 for the compact
 * serialisation (BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(HMAC-SHA256 of those two)).
 */
function handMadeClient(registrationKey: string, host: string, iat: number, jti: string) {
  // per_host_key = HMAC-SHA256(registration_key, host).
  const key = perHostKey(registrationKey, host);
  // kid: the first 12 bytes of SHA-256 over a label and the derived key, which names the key without revealing it.
  const kid = base64urlByHand(createHash("sha256").update("porter oauth2 kid\0").update(key).digest().subarray(0, 12));
  // The JOSE header as serialised: compact JSON, members in the order alg, typ, kid.
  const header = `{"alg":"HS256","typ":"oauth-client+jwt","kid":"${kid}"}`;
  // The claims: METADATA as sent, then what validation adds when a client leaves them out (application_type
  // "web" as in OpenID Connect registration, the RFC 7591 §2 defaults for grant_types, response_types and
  // token_endpoint_auth_method), then iat and jti. No exp: these clients do not expire.
  const payload =
    '{"client_name":"App","client_uri":"https://app.example/","redirect_uris":["https://app.example/cb"],' +
    '"application_type":"web","grant_types":["authorization_code"],"response_types":["code"],' +
    `"token_endpoint_auth_method":"client_secret_basic","iat":${iat},"jti":"${jti}"}`;
  const signingInput = `${base64urlByHand(Buffer.from(header, "utf8"))}.${base64urlByHand(Buffer.from(payload, "utf8"))}`;
  const clientId = `${signingInput}.${base64urlByHand(createHmac("sha256", key).update(signingInput, "ascii").digest())}`;
  // client_secret = hex(HMAC-SHA256(per_host_key, client_id)).
  return { clientId, clientSecret: createHmac("sha256", key).update(clientId, "ascii").digest("hex") };
}

function payloadOf(clientId: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(clientId.split(".")[1] ?? ""))) as Record<string, unknown>;
}

describe("stateless client credentials", () => {
  it("signs the metadata with the per-host key and derives the secret from it, as designed", () => {
    const issued = registry().register(METADATA);
    const key = perHostKey(KEY_A, HOST);
    assert.equal(issued.clientSecret, createHmac("sha256", key).update(issued.clientId).digest("hex"));
    const [header, payload, signature] = issued.clientId.split(".");
    assert.equal(signature, createHmac("sha256", key).update(`${header}.${payload}`).digest("base64url"));
    const claims = payloadOf(issued.clientId);
    assert.equal(claims.client_name, "App");
    assert.deepEqual(claims.redirect_uris, ["https://app.example/cb"]);
    assert.equal(typeof claims.jti, "string");
    assert.equal(claims.iat, issued.issuedAt);
    assert.equal("exp" in claims, false, "no exp when clients do not expire");
    assert.equal(issued.secretExpiresAt, 0);
    const protectedHeader = decodeProtectedHeader(issued.clientId);
    assert.equal(protectedHeader.alg, "HS256");
    assert.equal(protectedHeader.typ, CLIENT_ID_TYP);
    assert.match(String(protectedHeader.kid), /^[A-Za-z0-9_-]{16}$/);
    assert.ok(!issued.clientId.includes(KEY_A) && !String(protectedHeader.kid).includes(key.toString("base64url").slice(0, 8)));
  });

  it("verifies its own clients, and the same metadata twice gives different clients", async () => {
    const clients = registry();
    const first = clients.register(METADATA);
    const second = clients.register(METADATA);
    assert.notEqual(first.clientId, second.clientId);
    assert.notEqual(first.clientSecret, second.clientSecret);
    const check = await clients.verify(first.clientId, first.clientSecret);
    assert.ok(check.ok);
    assert.equal(check.client.metadata.client_name, "App");
    assert.deepEqual(check.client.metadata.grant_types, ["authorization_code"]);
    assert.equal("jti" in check.client.metadata, false);
    assert.equal(check.client.expiresAt, null);
    assert.deepEqual(await clients.verify(first.clientId, second.clientSecret), { ok: false, reason: "bad-secret" });
  });

  it("needs no state: a new instance with the same key and host verifies old clients", async () => {
    const issued = registry().register(METADATA);
    assert.ok((await registry().verify(issued.clientId, issued.clientSecret)).ok);
  });

  it("refuses clients of another host sharing the key, and of a removed key", async () => {
    const issued = registry().register(METADATA);
    assert.deepEqual(await registry({ host: "other.example" }).verify(issued.clientId, issued.clientSecret), { ok: false, reason: "unknown-key" });
    assert.deepEqual(await registry({ keys: [KEY_B] }).verify(issued.clientId, issued.clientSecret), { ok: false, reason: "unknown-key" });
  });

  it("rotates keys: the first signs, every listed key verifies", async () => {
    const old = registry({ keys: [KEY_A] }).register(METADATA);
    const rotated = registry({ keys: [KEY_B, KEY_A] });
    const fresh = rotated.register(METADATA);
    assert.notEqual(decodeProtectedHeader(fresh.clientId).kid, decodeProtectedHeader(old.clientId).kid);
    assert.ok((await rotated.verify(old.clientId, old.clientSecret)).ok);
    assert.ok((await rotated.verify(fresh.clientId, fresh.clientSecret)).ok);
    assert.equal((await registry({ keys: [KEY_A] }).verify(fresh.clientId, fresh.clientSecret)).ok, false);
  });

  it("pins HS256: the same key under HS512 or alg none is refused", async () => {
    const key = perHostKey(KEY_A, HOST);
    const { kid } = decodeProtectedHeader(registry().register(METADATA).clientId);
    const hs512 = await new SignJWT({ ...METADATA })
      .setProtectedHeader({ alg: "HS512", typ: CLIENT_ID_TYP, ...(kid === undefined ? {} : { kid }) })
      .setIssuedAt()
      .setJti("x")
      .sign(key);
    const secret512 = createHmac("sha256", key).update(hs512).digest("hex");
    assert.deepEqual(await registry().verify(hs512, secret512), { ok: false, reason: "malformed" });
    const none = `${base64url.encode(JSON.stringify({ alg: "none", typ: CLIENT_ID_TYP, kid }))}.${base64url.encode(JSON.stringify({ ...METADATA, iat: 1, jti: "x" }))}.`;
    assert.equal((await registry().verify(none, createHmac("sha256", key).update(none).digest("hex"))).ok, false);
  });

  it("refuses a tampered payload, a missing typ or claims, and junk", async () => {
    const clients = registry();
    const issued = clients.register(METADATA);
    const [header, , signature] = issued.clientId.split(".");
    const forged = `${header}.${base64url.encode(JSON.stringify({ ...payloadOf(issued.clientId), client_name: "Bank" }))}.${signature}`;
    assert.deepEqual(await clients.inspect(forged), { ok: false, reason: "bad-signature" });
    const key = perHostKey(KEY_A, HOST);
    const { kid } = decodeProtectedHeader(issued.clientId);
    const untyped = await new SignJWT({ ...METADATA })
      .setProtectedHeader({ alg: "HS256", ...(kid === undefined ? {} : { kid }) })
      .setIssuedAt()
      .setJti("x")
      .sign(key);
    assert.deepEqual(await clients.inspect(untyped), { ok: false, reason: "malformed" });
    const noJti = await new SignJWT({ ...METADATA })
      .setProtectedHeader({ alg: "HS256", typ: CLIENT_ID_TYP, ...(kid === undefined ? {} : { kid }) })
      .setIssuedAt()
      .sign(key);
    assert.deepEqual(await clients.inspect(noJti), { ok: false, reason: "malformed" });
    for (const junk of ["", "a.b.c", "not a jwt", "x".repeat(20_000), `${issued.clientId}.extra`]) {
      assert.equal((await clients.inspect(junk)).ok, false, junk.slice(0, 20));
    }
    for (const secret of ["", issued.clientSecret.toUpperCase(), issued.clientSecret.slice(2), `${issued.clientSecret}00`, "zz".repeat(32)]) {
      assert.deepEqual(await clients.verify(issued.clientId, secret), { ok: false, reason: "bad-secret" });
    }
  });

  it("with a lifetime, sets exp and client_secret_expires_at and refuses expired clients", async () => {
    let now = 1_800_000_000;
    const clients = registry({ ttl: 3600, now: () => now });
    const issued = clients.register(METADATA);
    assert.equal(issued.secretExpiresAt, now + 3600);
    assert.equal(payloadOf(issued.clientId).exp, now + 3600);
    now += 3599;
    assert.ok((await clients.verify(issued.clientId, issued.clientSecret)).ok);
    now += 2;
    assert.deepEqual(await clients.verify(issued.clientId, issued.clientSecret), { ok: false, reason: "expired" });
  });

  it("revokes one client through the denylist and leaves the others working", async () => {
    const denylist = new MemoryDenylist();
    const clients = registry({ denylist });
    const revoked = clients.register(METADATA);
    const kept = clients.register(METADATA);
    assert.deepEqual(await clients.revoke(revoked.clientId, "admin@example.com"), { outcome: "revoked", clientName: "App" });
    assert.equal(denylist.keys.size, 1);
    assert.deepEqual(await clients.verify(revoked.clientId, revoked.clientSecret), { ok: false, reason: "revoked" });
    assert.ok((await clients.verify(kept.clientId, kept.clientSecret)).ok);
    assert.deepEqual(await clients.revoke(revoked.clientId, "admin@example.com"), { outcome: "already-revoked" });
    await assert.rejects(clients.revoke("junk", "admin@example.com"), ClientRevocationError);
    const foreign = registry({ host: "other.example" }).register(METADATA);
    await assert.rejects(clients.revoke(foreign.clientId, "admin@example.com"), ClientRevocationError);
  });

  it("revokes a client under every spelling of its client_id: the spare bits of base64url give none back", async () => {
    const denylist = new MemoryDenylist();
    const clients = registry({ denylist });
    const issued = clients.register(METADATA);
    const [header = "", payload = "", signature = ""] = issued.clientId.split(".");
    // Two re-encodings through the 2 spare bits of the signature's last character: the same bytes.
    const variants = [1, 2].map((spare) => `${header}.${payload}.${respelledLastCharacter(signature, spare)}`);
    for (const variant of variants) {
      assert.notEqual(variant, issued.clientId);
      assert.deepEqual(Buffer.from(variant.split(".")[2] ?? "", "base64url"), Buffer.from(signature, "base64url"));
    }
    assert.deepEqual(await clients.revoke(issued.clientId, "admin@example.com"), { outcome: "revoked", clientName: "App" });
    assert.deepEqual(await clients.inspect(issued.clientId), { ok: false, reason: "revoked" });
    for (const variant of variants) {
      assert.deepEqual(await clients.inspect(variant), { ok: false, reason: "malformed" }, variant);
      assert.deepEqual(await clients.verify(variant, issued.clientSecret), { ok: false, reason: "malformed" }, variant);
    }
    const other = clients.register(METADATA);
    assert.ok((await clients.verify(other.clientId, other.clientSecret)).ok, "only the revoked client is refused");
  });

  it("accepts only the canonical spelling of a client_id, revoked or not", async () => {
    const clients = registry();
    const issued = clients.register(METADATA);
    const [header = "", payload = "", signature = ""] = issued.clientId.split(".");
    const respellings = [
      `${header}.${payload}.${respelledLastCharacter(signature, 3)}`,
      `${issued.clientId}=`,
      `${header}.${payload}.${signature.slice(0, 8)} ${signature.slice(8)}`,
      `${header}.${payload}.${signature.slice(0, 8)}\n${signature.slice(8)}`,
    ];
    for (const respelled of respellings) {
      assert.deepEqual(await clients.verify(respelled, issued.clientSecret), { ok: false, reason: "malformed" }, JSON.stringify(respelled));
      await assert.rejects(clients.revoke(respelled, "admin@example.com"), ClientRevocationError);
    }
    assert.ok((await clients.verify(issued.clientId, issued.clientSecret)).ok, "the canonical client_id still works");
  });

  it("gives known answers for a fixed key, host, clock and jti", async () => {
    const jti = "6f1c1d2e-8a4b-4c5d-9e6f-0a1b2c3d4e5f";
    assert.deepEqual(
      handMadeClient(KEY_A, HOST, 1_700_000_000, jti),
      { clientId: KNOWN_CLIENT_ID, clientSecret: KNOWN_CLIENT_SECRET },
      "two derivations agree",
    );
    const clients = registry({ now: () => 1_700_000_000, jti: () => jti });
    const issued = clients.register(METADATA);
    assert.equal(issued.clientId, KNOWN_CLIENT_ID);
    assert.equal(issued.clientSecret, KNOWN_CLIENT_SECRET);
    assert.equal(issued.issuedAt, 1_700_000_000);
    assert.equal(issued.secretExpiresAt, 0);
    const check = await clients.verify(KNOWN_CLIENT_ID, KNOWN_CLIENT_SECRET);
    assert.ok(check.ok);
    assert.deepEqual(check.client.key, { kid: decodeProtectedHeader(KNOWN_CLIENT_ID).kid, jti: "6f1c1d2e-8a4b-4c5d-9e6f-0a1b2c3d4e5f" });
  });

  it("refuses a client_id made as Prosody's mod_http_oauth2 makes them: signed with the raw key", async () => {
    // Prosody: jwt.init("HS256", oauth2_registration_key, ...), header {"alg":"HS256","typ":"JWT"}, no kid.
    const prosodyStyle = await new SignJWT({ ...METADATA, jti: "x" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt()
      .sign(new TextEncoder().encode(KEY_A));
    const prosodySecret = createHmac("sha256", perHostKey(KEY_A, HOST)).update(prosodyStyle).digest("hex");
    assert.equal((await registry().verify(prosodyStyle, prosodySecret)).ok, false);
  });

  it("refuses keys shorter than 32 bytes and an empty key list", () => {
    assert.throws(() => registry({ keys: ["k".repeat(31)] }), KeyringError);
    assert.throws(() => registry({ keys: [KEY_A, "short"] }), KeyringError);
    assert.throws(() => registry({ keys: [] }), KeyringError);
  });
});

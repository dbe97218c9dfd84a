import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, it } from "node:test";

import { ClientRegistry } from "../../../src/oauth2/client-registry.js";
import { openDatabase } from "../../../src/store/database.js";
import { SqliteRevokedClients } from "../../../src/store/revoked-client-store.js";
import { MIGRATIONS } from "../../../src/store/schema.js";
import { tempDir } from "../../support/temp.js";

const KEY = "r".repeat(40);
const METADATA = { client_name: "App", client_uri: "https://app.example/", redirect_uris: ["https://app.example/cb"] };
// Schema version 3 is the last one that keyed revocations by SHA-256(client_id).
const BEFORE_JTI = MIGRATIONS.slice(0, 3);

const registryOn = (db: ReturnType<typeof openDatabase>) =>
  new ClientRegistry({ keys: [KEY], host: "example.com", ttl: null, denylist: new SqliteRevokedClients(db) });

/** A client_id with the last character of its signature re-spelled through the spare bits. */
function respelled(clientId: string, spareBits: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return clientId.slice(0, -1) + (alphabet[alphabet.indexOf(clientId.slice(-1)) ^ spareBits] ?? "");
}

describe("revoked OAuth2 clients in SQLite", () => {
  it("keys revocations by key id and jti, so no re-spelling of a revoked client_id passes", async () => {
    const db = openDatabase(":memory:");
    const registry = registryOn(db);
    const issued = registry.register(METADATA);
    assert.deepEqual(await registry.revoke(issued.clientId, "admin@example.com"), { outcome: "revoked", clientName: "App" });
    const rows = db.prepare("SELECT kid, jti, client_name FROM oauth2_revoked_clients").all() as { kid: string; jti: string }[];
    assert.equal(rows.length, 1);
    assert.match(rows[0]?.jti ?? "", /^[0-9a-f-]{36}$/);
    // A new instance (a restart, or `porter oauth2 check`) reads the same answer for all three spellings.
    const again = registryOn(db);
    for (const clientId of [issued.clientId, respelled(issued.clientId, 1), respelled(issued.clientId, 2)]) {
      assert.equal((await again.verify(clientId, issued.clientSecret)).ok, false, clientId.slice(-6));
    }
    assert.deepEqual(await again.inspect(issued.clientId), { ok: false, reason: "revoked" });
    db.close();
  });

  it("keeps clients revoked before the migration to jti revoked", async () => {
    const path = join(tempDir(), "porter.sqlite");
    const old = openDatabase(path, BEFORE_JTI);
    // Registration is stateless: any registry with the same key and host issues clients for this one.
    const issuer = registryOn(openDatabase(":memory:"));
    const revoked = issuer.register(METADATA);
    const kept = issuer.register(METADATA);
    // What the previous version wrote for `porter oauth2 revoke`.
    old
      .prepare("INSERT INTO oauth2_revoked_clients (client_hash, client_name, revoked_by, revoked_at) VALUES (?, ?, ?, ?)")
      .run(createHash("sha256").update(revoked.clientId).digest(), "App", "cli", 1_700_000_000);
    old.close();

    const db = openDatabase(path);
    assert.equal(db.pragma("user_version", { simple: true }), MIGRATIONS.length);
    assert.equal((db.prepare("SELECT count(*) AS n FROM oauth2_revoked_client_hashes").get() as { n: number }).n, 1);
    const registry = registryOn(db);
    assert.deepEqual(await registry.inspect(revoked.clientId), { ok: false, reason: "revoked" });
    assert.equal((await registry.inspect(respelled(revoked.clientId, 1))).ok, false);
    assert.deepEqual(await registry.revoke(revoked.clientId, "admin@example.com"), { outcome: "already-revoked" });
    assert.ok((await registry.verify(kept.clientId, kept.clientSecret)).ok, "other clients are untouched");
    db.close();
  });
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";

import Database from "better-sqlite3";

import { accessFrom } from "../../../src/access/access.js";
import { InviteService } from "../../../src/invites/invite-service.js";
import { invitePolicyFrom } from "../../../src/invites/invite-policy.js";
import { openDatabase } from "../../../src/store/database.js";
import { SqliteInviteStore } from "../../../src/store/invite-store.js";
import { accountsOf } from "../../../src/invites/invite.js";
import { testConfig } from "../../support/config.js";
import { requester, testInvites } from "../../support/invites.js";
import { tempDir } from "../../support/temp.js";

describe("invite store", () => {
  it("reports an invite whose commit failed instead of handing it out", async () => {
    const path = join(tempDir(), "porter.sqlite");
    const db = openDatabase(path);
    // A commit that fails after the insert itself worked, as on a full disk: in rollback-journal
    // mode the commit needs the file to itself, and a reader holds it.
    db.pragma("journal_mode = DELETE");
    db.pragma("busy_timeout = 0");
    const reader = new Database(path);
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM invites").get();

    const invites = new InviteService(new SqliteInviteStore(db), accessFrom(testConfig()), invitePolicyFrom(testConfig()));
    await assert.rejects(invites.createAccountInvite({ kind: "cli" }), { code: "SQLITE_BUSY" });
    reader.exec("COMMIT");
    assert.deepEqual(invites.list({ kind: "cli" }), { invites: [], total: 0 });
    reader.close();
    db.close();
  });

  it("refuses the invite past each limit, and counts only what the limit counts", async () => {
    const db = openDatabase(":memory:");
    const store = new SqliteInviteStore(db);
    const now = 1_800_000_000;
    let n = 0;
    const invite = (creator: string, createdAt = now, expiresAt = now + 3600) => ({
      kind: "contact" as const,
      tokenHash: Buffer.alloc(32, ++n),
      creator,
      inviter: creator,
      allowRegistration: false,
      maxUses: 1,
      note: null,
      createdAt,
      expiresAt,
    });
    const limits = (maxActive: number, count: number) => ({ maxActive, maxCreatedSince: { count, since: now - 3600 } });
    const reason = async (result: Promise<{ ok: boolean; reason?: string }>) => {
      const settled = await result;
      return settled.ok ? "ok" : settled.reason;
    };

    assert.equal(await reason(store.insert(invite("a@example.com"), limits(1, 10))), "ok");
    assert.equal(await reason(store.insert(invite("a@example.com"), limits(1, 10))), "max-active");
    assert.equal(await reason(store.insert(invite("a@example.com"), limits(2, 10))), "ok");
    assert.equal(await reason(store.insert(invite("a@example.com"), limits(3, 2))), "rate");
    // Other creators, expired, used and revoked invites and those of more than an hour ago are not counted.
    assert.equal(await reason(store.insert(invite("b@example.com", now - 7200, now - 1), null)), "ok");
    const used = await store.insert(invite("b@example.com"), null);
    const revoked = await store.insert(invite("b@example.com"), null);
    assert.ok(used.ok && revoked.ok);
    db.prepare("UPDATE invites SET uses = 1 WHERE id = ?").run(used.invite.id);
    store.revoke(revoked.invite.id, now);
    assert.equal(await reason(store.insert(invite("b@example.com"), limits(1, 3))), "ok");
    assert.equal(await reason(store.insert(invite("b@example.com"), limits(1, 10))), "max-active");
    assert.equal(await reason(store.insert(invite("b@example.com"), limits(5, 3))), "rate");
    db.close();
  });

  it("lists a page at a time, newest first, with the count and the accounts each invite's completed uses were for", async () => {
    const clock = { now: 1_800_000_000 };
    const { service } = testInvites(testConfig(), clock);
    const admin = requester("admin@example.com");
    const made = [];
    for (let n = 0; n < 7; n += 1) {
      made.push(await service.createAccountInvite(admin, { maxUses: 3 }));
      clock.now += 1;
    }
    const oldest = made[0];
    assert.ok(oldest);
    service.complete(service.reserve(oldest.token, "first", "register"));
    service.complete(service.reserve(oldest.token, "second", "register"));
    // A use still held is not an account yet.
    service.reserve(oldest.token, "pending", "register");

    const page = service.list(admin, { limit: 3, offset: 5 });
    assert.equal(page.total, 7);
    assert.deepEqual(
      page.invites.map((invite) => invite.id),
      [made[1]?.invite.id, oldest.invite.id],
    );
    assert.deepEqual(page.invites.at(-1)?.accounts, ["first", "second"]);
    assert.deepEqual(accountsOf(page.invites.at(-1) ?? assert.fail(), "example.com"), ["first@example.com", "second@example.com"]);
    assert.deepEqual(
      service.list(admin, { limit: 2 }).invites.map((invite) => invite.id),
      [made[6]?.invite.id, made[5]?.invite.id],
    );
  });
});

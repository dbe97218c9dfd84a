import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, it } from "node:test";

import { InviteRefusal } from "../../../src/invites/errors.js";
import { accessFrom } from "../../../src/access/access.js";
import { InviteService } from "../../../src/invites/invite-service.js";
import { invitePolicyFrom } from "../../../src/invites/invite-policy.js";
import { openDatabase } from "../../../src/store/database.js";
import { SqliteInviteStore } from "../../../src/store/invite-store.js";
import { testConfig } from "../../support/config.js";
import { requester, testInvites } from "../../support/invites.js";
import { tempDir } from "../../support/temp.js";

const ADMIN = requester("admin@example.com");
const ALICE = requester("alice@example.com");

function refusal(action: () => unknown): InviteRefusal {
  try {
    action();
  } catch (err) {
    assert.ok(err instanceof InviteRefusal, String(err));
    return err;
  }
  assert.fail("not refused");
}

async function rejection(action: Promise<unknown>): Promise<InviteRefusal> {
  const err: unknown = await action.then(
    () => assert.fail("not refused"),
    (reason: unknown) => reason,
  );
  assert.ok(err instanceof InviteRefusal, String(err));
  return err;
}

describe("redeeming invites", () => {
  it("reserves a use, completes it, and refuses the spent invite afterwards", async () => {
    const { service, store } = testInvites(testConfig());
    const created = await service.createAccountInvite(ADMIN);
    const reservation = service.reserve(created.token, "bob", "register");
    assert.equal(store.findById(created.invite.id)?.uses, 1);
    service.complete(reservation);
    const again = refusal(() => service.reserve(created.token, "carol", "register"));
    assert.equal(again.reason, "gone");
    assert.deepEqual(again.refusal, { code: "used" });
  });

  it("gives the use back when the account could not be created", async () => {
    const { service, store } = testInvites(testConfig());
    const created = await service.createAccountInvite(ADMIN);
    service.release(service.reserve(created.token, "bob", "register"));
    assert.equal(store.findById(created.invite.id)?.uses, 0);
    service.release(service.reserve(created.token, "bob", "register"));
    service.complete(service.reserve(created.token, "bob", "register"));
    assert.equal(store.findById(created.invite.id)?.uses, 1);
  });

  it("refuses unknown, malformed, revoked and expired tokens and another name than the reserved one", async () => {
    const clock = { now: 1_800_000_000 };
    const { service } = testInvites(testConfig(), clock);
    assert.equal(refusal(() => service.reserve("A".repeat(32), "bob", "register")).reason, "not-found");
    assert.equal(refusal(() => service.reserve("A".repeat(36), "bob", "register")).reason, "not-found");
    assert.equal(refusal(() => service.reserve("../../etc/passwd", "bob", "register")).reason, "not-found");
    const revoked = await service.createAccountInvite(ADMIN);
    service.revoke(ADMIN, revoked.invite.id);
    assert.deepEqual(refusal(() => service.reserve(revoked.token, "bob", "register")).refusal, { code: "revoked" });
    const expiring = await service.createAccountInvite(ADMIN, { ttl: 3600 });
    clock.now += 3600;
    assert.deepEqual(refusal(() => service.reserve(expiring.token, "bob", "register")).refusal, { code: "expired" });
    const reserved = await service.createAccountInvite(ADMIN, { username: "dave" });
    assert.equal(refusal(() => service.reserve(reserved.token, "eve", "register")).reason, "invalid");
    service.complete(service.reserve(reserved.token, "dave", "register"));
  });

  it("still redeems an invite whose token has the earlier 32-character shape, stored as its whole SHA-256", async () => {
    const { db, service } = testInvites(testConfig());
    const created = await service.createAccountInvite(ADMIN);
    const earlier = Buffer.alloc(24, 0x5a).toString("base64url");
    db.prepare("UPDATE invites SET token_hash = ? WHERE id = ?").run(createHash("sha256").update(earlier).digest(), created.invite.id);
    assert.equal(service.inspect(earlier).id, created.invite.id);
    assert.equal(refusal(() => service.inspect(created.token)).reason, "not-found");
    service.complete(service.reserve(earlier, "bob", "register"));
    assert.equal(refusal(() => service.reserve(earlier, "carol", "register")).reason, "gone");
  });

  it("lets unlimited invites be used until they expire", async () => {
    const clock = { now: 1_800_000_000 };
    const { service, store } = testInvites(testConfig(), clock);
    const created = await service.createAccountInvite(ADMIN, { maxUses: null, ttl: 3600 });
    const stored = () => store.findById(created.invite.id) ?? assert.fail("the invite is gone");
    // A use every five minutes of its hour, then one in its last second: no count runs out.
    for (let minute = 0; minute < 60; minute += 5) {
      clock.now = 1_800_000_000 + minute * 60;
      service.complete(service.reserve(created.token, `m${minute}`, "register"));
    }
    clock.now = 1_800_000_000 + 3599;
    service.complete(service.reserve(created.token, "last", "register"));
    assert.equal(stored().uses, 13);
    assert.equal(service.status(stored()), "active");
    clock.now = 1_800_000_000 + 3600;
    assert.deepEqual(refusal(() => service.reserve(created.token, "late", "register")).refusal, { code: "expired" });
    assert.equal(stored().uses, 13, "the refused use was not counted");
    assert.equal(service.status(stored()), "expired");
  });

  it("lets a user's contact invite create no account while users' invites may not, on every path that reserves", async () => {
    const closed = testConfig({ invites: { allow_user_invites: false } });
    const { service, store } = testInvites(closed);
    const fromAlice = await service.createContactInvite(ALICE);
    assert.doesNotMatch(fromAlice.uri, /ibr=y/);
    assert.equal(service.permits(fromAlice.invite, "register"), false);
    const refused = refusal(() => service.reserve(fromAlice.token, "mallory", "register"));
    assert.equal(refused.reason, "not-permitted");
    assert.equal(store.findById(fromAlice.invite.id)?.uses, 0);
    // Adding alice from an existing account is what the invite is for.
    service.complete(service.reserve(fromAlice.token, "bob", "subscribe"));
    const fromAdmin = await service.createContactInvite(ADMIN);
    assert.match(fromAdmin.uri, /ibr=y/);
    service.complete(service.reserve(fromAdmin.token, "carol", "register"));
  });

  it("closes users' contact invites handed out before the setting was turned off", async () => {
    const clock = { now: 1_800_000_000 };
    const open = testInvites(testConfig(), clock);
    const created = await open.service.createContactInvite(ALICE);
    assert.match(created.uri, /ibr=y/);
    const closed = testConfig({ invites: { allow_user_invites: false } });
    const later = new InviteService(open.store, accessFrom(closed), invitePolicyFrom(closed), () => clock.now);
    assert.equal(refusal(() => later.reserve(created.token, "mallory", "register")).reason, "not-permitted");
    assert.equal(open.store.findById(created.invite.id)?.uses, 0);
  });

  it("uses each kind of invite only for what it is", async () => {
    const { service } = testInvites(testConfig());
    const reset = await service.createResetInvite(ADMIN, "bob");
    assert.equal(refusal(() => service.reserve(reset.token, "bob", "register")).reason, "not-permitted");
    const account = await service.createAccountInvite(ADMIN);
    assert.equal(refusal(() => service.reserve(account.token, "bob", "subscribe")).reason, "not-permitted");
    assert.equal(refusal(() => service.reserve(account.token, "bob", "reset")).reason, "not-permitted");
    service.complete(service.reserve(reset.token, "bob", "reset"));
  });

  it("lets exactly one of two processes win a single-use invite", async () => {
    const path = join(tempDir(), "porter.sqlite");
    const access = accessFrom(testConfig());
    const policy = invitePolicyFrom(testConfig());
    const daemonDb = openDatabase(path);
    const cliDb = openDatabase(path);
    const daemon = new InviteService(new SqliteInviteStore(daemonDb), access, policy);
    const cli = new InviteService(new SqliteInviteStore(cliDb), access, policy);
    const created = await daemon.createAccountInvite(ADMIN);
    daemon.reserve(created.token, "first", "register");
    assert.equal(refusal(() => cli.reserve(created.token, "second", "register")).reason, "gone");
    daemonDb.close();
    cliDb.close();
  });

  it("tells listeners who used whose invite", async () => {
    const { service } = testInvites(testConfig());
    const heard: string[] = [];
    service.onRedeemed(({ invite, account }) => heard.push(`${invite.creator} -> ${account}`));
    const created = await service.createContactInvite(ALICE);
    const reservation = service.reserve(created.token, "newbie", "register");
    service.release(reservation);
    assert.deepEqual(heard, []);
    service.complete(service.reserve(created.token, "newbie", "register"));
    assert.deepEqual(heard, ["alice@example.com -> newbie"]);
  });

  it("purges expired invites, but not one whose use is in progress", async () => {
    const clock = { now: 1_800_000_000 };
    const { service, store } = testInvites(testConfig(), clock);
    const idle = await service.createAccountInvite(ADMIN, { ttl: 3600 });
    const busy = await service.createAccountInvite(ADMIN, { ttl: 3600 });
    service.reserve(busy.token, "slowpoke", "register");
    clock.now += 7200;
    assert.equal(service.purgeExpired(), 1);
    assert.equal(store.findById(idle.invite.id), undefined);
    assert.notEqual(store.findById(busy.invite.id), undefined);
  });

  it("keeps used invites and the accounts they made for invites.keep_history after they expire", async () => {
    const clock = { now: 1_800_000_000 };
    const { service, store } = testInvites(testConfig({ invites: { keep_history: "30d" } }), clock);
    const used = await service.createAccountInvite(ADMIN, { ttl: 3600, maxUses: 2 });
    service.complete(service.reserve(used.token, "kept", "register"));
    clock.now += 3600 + 29 * 86_400;
    assert.equal(service.purgeExpired(), 0);
    assert.deepEqual(service.list(ADMIN).invites.find((invite) => invite.id === used.invite.id)?.accounts, ["kept"]);
    clock.now += 86_400;
    assert.equal(service.purgeExpired(), 1);
    assert.equal(store.findById(used.invite.id), undefined);
  });

  it("keeps a reserved username for its invite: refused to every other invite and to a second reservation", async () => {
    const { service } = testInvites(testConfig());
    const keeps = await service.createAccountInvite(ADMIN, { username: "dave" });
    assert.equal(service.isReserved("dave"), true);
    const open = await service.createAccountInvite(ADMIN, { maxUses: null });
    const refused = refusal(() => service.reserve(open.token, "dave", "register"));
    assert.equal(refused.reason, "invalid");
    assert.deepEqual(refused.refusal, { code: "username-kept", username: "dave" });
    assert.deepEqual((await rejection(service.createAccountInvite(ADMIN, { username: "dave" }))).refusal, { code: "username-kept", username: "dave" });
    service.complete(service.reserve(keeps.token, "dave", "register"));
    // Used, the invite keeps nothing any more (the account exists, which the server refuses by itself).
    assert.equal(service.isReserved("dave"), false);
  });

  it("never rewrites a used invite as revoked, and revokes one with uses left", async () => {
    const { service, store } = testInvites(testConfig());
    const single = await service.createAccountInvite(ADMIN);
    service.complete(service.reserve(single.token, "only", "register"));
    const refused = refusal(() => service.revoke(ADMIN, single.invite.id));
    assert.equal(refused.reason, "invalid");
    assert.deepEqual(refused.refusal, { code: "used-up", id: single.invite.id });
    assert.equal(store.findById(single.invite.id)?.revokedAt, null);
    const multi = await service.createAccountInvite(ADMIN, { maxUses: 3 });
    service.complete(service.reserve(multi.token, "one", "register"));
    assert.notEqual(service.revoke(ADMIN, multi.invite.id).revokedAt, null);
    assert.equal(service.status(store.findById(multi.invite.id) ?? assert.fail()), "revoked");
  });
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";

import { InviteRefusal } from "../../../src/invites/errors.js";
import { InviteService } from "../../../src/invites/invite-service.js";
import { invitePolicyFrom } from "../../../src/invites/invite-policy.js";
import { openDatabase } from "../../../src/store/database.js";
import { SqliteInviteStore } from "../../../src/store/invite-store.js";
import { testConfig } from "../../support/config.js";
import { testInvites } from "../../support/invites.js";
import { tempDir } from "../../support/temp.js";

const ADMIN = { kind: "user", jid: "admin@example.com" } as const;
const ALICE = { kind: "user", jid: "alice@example.com" } as const;

function refusal(action: () => unknown): InviteRefusal {
  try {
    action();
  } catch (err) {
    assert.ok(err instanceof InviteRefusal, String(err));
    return err;
  }
  assert.fail("not refused");
}

describe("redeeming invites", () => {
  it("reserves a use, completes it, and refuses the spent invite afterwards", () => {
    const { service, store } = testInvites(testConfig());
    const created = service.createAccountInvite(ADMIN);
    const reservation = service.reserve(created.token, "bob");
    assert.equal(store.findById(created.invite.id)?.uses, 1);
    service.complete(reservation);
    const again = refusal(() => service.reserve(created.token, "carol"));
    assert.equal(again.reason, "gone");
    assert.match(again.message, /already been used/);
  });

  it("gives the use back when the account could not be created", () => {
    const { service, store } = testInvites(testConfig());
    const created = service.createAccountInvite(ADMIN);
    service.release(service.reserve(created.token, "bob"));
    assert.equal(store.findById(created.invite.id)?.uses, 0);
    service.release(service.reserve(created.token, "bob"));
    service.complete(service.reserve(created.token, "bob"));
    assert.equal(store.findById(created.invite.id)?.uses, 1);
  });

  it("refuses unknown, malformed, revoked and expired tokens and another name than the reserved one", () => {
    const clock = { now: 1_800_000_000 };
    const { service } = testInvites(testConfig(), clock);
    assert.equal(refusal(() => service.reserve("A".repeat(32), "bob")).reason, "not-found");
    assert.equal(refusal(() => service.reserve("../../etc/passwd", "bob")).reason, "not-found");
    const revoked = service.createAccountInvite(ADMIN);
    service.revoke(ADMIN, revoked.invite.id);
    assert.match(refusal(() => service.reserve(revoked.token, "bob")).message, /revoked/);
    const expiring = service.createAccountInvite(ADMIN, { ttl: 3600 });
    clock.now += 3600;
    assert.match(refusal(() => service.reserve(expiring.token, "bob")).message, /expired/);
    const reserved = service.createAccountInvite(ADMIN, { username: "dave" });
    assert.equal(refusal(() => service.reserve(reserved.token, "eve")).reason, "invalid");
    service.complete(service.reserve(reserved.token, "dave"));
  });

  it("lets unlimited invites be used until they expire", () => {
    const { service } = testInvites(testConfig());
    const created = service.createAccountInvite(ADMIN, { maxUses: null });
    for (const name of ["a1", "a2", "a3"]) service.complete(service.reserve(created.token, name));
  });

  it("lets exactly one of two processes win a single-use invite", () => {
    const path = join(tempDir(), "porter.sqlite");
    const policy = invitePolicyFrom(testConfig());
    const daemonDb = openDatabase(path);
    const cliDb = openDatabase(path);
    const daemon = new InviteService(new SqliteInviteStore(daemonDb), policy);
    const cli = new InviteService(new SqliteInviteStore(cliDb), policy);
    const created = daemon.createAccountInvite(ADMIN);
    daemon.reserve(created.token, "first");
    assert.equal(refusal(() => cli.reserve(created.token, "second")).reason, "gone");
    daemonDb.close();
    cliDb.close();
  });

  it("tells listeners who used whose invite", () => {
    const { service } = testInvites(testConfig());
    const heard: string[] = [];
    service.onRedeemed(({ invite, account }) => heard.push(`${invite.creator} -> ${account}`));
    const created = service.createContactInvite(ALICE);
    const reservation = service.reserve(created.token, "newbie");
    service.release(reservation);
    assert.deepEqual(heard, []);
    service.complete(service.reserve(created.token, "newbie"));
    assert.deepEqual(heard, ["alice@example.com -> newbie"]);
  });

  it("purges expired invites, but not one whose use is in progress", () => {
    const clock = { now: 1_800_000_000 };
    const { service, store } = testInvites(testConfig(), clock);
    const idle = service.createAccountInvite(ADMIN, { ttl: 3600 });
    const busy = service.createAccountInvite(ADMIN, { ttl: 3600 });
    service.reserve(busy.token, "slowpoke");
    clock.now += 7200;
    assert.equal(service.purgeExpired(), 1);
    assert.equal(store.findById(idle.invite.id), undefined);
    assert.notEqual(store.findById(busy.invite.id), undefined);
  });
});

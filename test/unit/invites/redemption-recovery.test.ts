import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { AccountOutcome } from "../../../src/accounts/account-gateway.js";
import type { Config } from "../../../src/config/schema.js";
import { accessFrom } from "../../../src/access/access.js";
import { InviteService } from "../../../src/invites/invite-service.js";
import { invitePolicyFrom } from "../../../src/invites/invite-policy.js";
import { type RedemptionResult, RedemptionService } from "../../../src/invites/redemption.js";
import { RedemptionRecovery } from "../../../src/invites/redemption-recovery.js";
import { UseLedger } from "../../../src/invites/use-ledger.js";
import { openDatabase } from "../../../src/store/database.js";
import { SqliteInviteStore } from "../../../src/store/invite-store.js";
import { testConfig } from "../../support/config.js";
import { requester } from "../../support/invites.js";
import { capturingLogger } from "../../support/logs.js";
import { RecordingContacts, ScriptedAccounts } from "../../support/scripted-server.js";

const ADMIN = requester("admin@example.com");
const ALICE = requester("alice@example.com");
const FORM = { username: "newbie", password: "a-Good-password-1", passwordConfirm: "a-Good-password-1" };

/** A store whose next completion or release fails, as on a full disk. */
class FailingStore extends SqliteInviteStore {
  failNext: "complete" | "release" | null = null;
  override completeUse(id: number, now: number): void {
    if (this.failNext === "complete") {
      this.failNext = null;
      throw new Error("database or disk is full");
    }
    super.completeUse(id, now);
  }
  override releaseUse(id: number): void {
    if (this.failNext === "release") {
      this.failNext = null;
      throw new Error("database or disk is full");
    }
    super.releaseUse(id);
  }
}

function uncertainOf(result: RedemptionResult): { jid: string; reset: boolean } | undefined {
  return !result.ok && result.kind === "uncertain" ? { jid: result.jid, reset: result.reset } : undefined;
}

function setup(config: Config = testConfig()) {
  const db = openDatabase(":memory:");
  const store = new FailingStore(db);
  const invites = new InviteService(store, accessFrom(config), invitePolicyFrom(config), () => 1_800_000_000);
  const logs = capturingLogger();
  const accounts = new ScriptedAccounts();
  const contacts = new RecordingContacts();
  const ledger = new UseLedger(invites, logs.log);
  const redemption = new RedemptionService(invites, ledger, accounts, contacts, "example.com");
  const recovery = new RedemptionRecovery(ledger, accounts, contacts, "example.com", logs.log);
  const heard: string[] = [];
  invites.onRedeemed(({ account }) => heard.push(account));
  return { store, invites, accounts, contacts, ledger, redemption, recovery, heard, logs };
}

describe("recovering interrupted redemptions", () => {
  it("holds the use when the server's answer is lost, and makes it final once the account is found", async () => {
    const t = setup();
    const created = await t.invites.createContactInvite(ALICE);
    t.accounts.outcomes.push({ ok: false, reason: "uncertain" });
    const result = await t.redemption.redeem(created.token, FORM);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.kind, "uncertain");
    assert.deepEqual(uncertainOf(result), { jid: "newbie@example.com", reset: false });
    const held = t.store.findById(created.invite.id);
    assert.ok(held);
    assert.equal(t.invites.status(held), "used", "the use stays held");
    assert.equal(t.invites.pendingUses().length, 1);

    t.accounts.existing.set("newbie", true);
    assert.deepEqual(await t.recovery.run(), { completed: 1, released: 0, unresolved: 0 });
    assert.deepEqual(t.accounts.asked, ["newbie"]);
    assert.equal(t.invites.pendingUses().length, 0);
    assert.equal(t.store.findById(created.invite.id)?.uses, 1);
    assert.deepEqual(t.heard, ["newbie"], "the inviter is told, as after a redemption");
    assert.deepEqual(t.contacts.pairs, ["newbie@example.com + alice@example.com"]);
  });

  it("gives the use back when the account does not exist, so the link works again", async () => {
    const t = setup();
    const created = await t.invites.createAccountInvite(ADMIN);
    t.accounts.outcomes.push({ ok: false, reason: "uncertain" });
    await t.redemption.redeem(created.token, FORM);
    t.accounts.existing.set("newbie", false);
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 1, unresolved: 0 });
    assert.equal(t.store.findById(created.invite.id)?.uses, 0);
    assert.deepEqual(t.heard, []);
    const again = await t.redemption.redeem(created.token, FORM);
    assert.equal(again.ok, true);
  });

  it("leaves the use held while the server cannot tell, and settles it on a later run", async () => {
    const t = setup();
    const created = await t.invites.createAccountInvite(ADMIN);
    t.accounts.outcomes.push({ ok: false, reason: "uncertain" });
    await t.redemption.redeem(created.token, FORM);
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 0, unresolved: 1 });
    assert.equal(t.invites.pendingUses().length, 1);
    assert.ok(
      t.logs.lines().some((line) => line.unresolved === 1),
      "says what it waits for",
    );
    t.accounts.existing.set("newbie", true);
    assert.deepEqual(await t.recovery.run(), { completed: 1, released: 0, unresolved: 0 });
  });

  it("gives an interrupted password reset back without asking the server", async () => {
    const t = setup();
    const created = await t.invites.createResetInvite(ADMIN, "newbie");
    t.accounts.outcomes.push({ ok: false, reason: "uncertain" });
    const result = await t.redemption.redeem(created.token, FORM);
    assert.deepEqual(uncertainOf(result), { jid: "newbie@example.com", reset: true });
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 1, unresolved: 0 });
    assert.deepEqual(t.accounts.asked, []);
    assert.equal(t.store.findById(created.invite.id)?.uses, 0);
  });

  it("does not touch a redemption still waiting for the server", async () => {
    const t = setup();
    const created = await t.invites.createAccountInvite(ADMIN);
    let answer: (outcome: AccountOutcome) => void = () => undefined;
    t.accounts.outcomes.push(new Promise((resolve) => (answer = resolve)));
    const redeeming = t.redemption.redeem(created.token, FORM);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.invites.pendingUses().length, 1, "the use is held");
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 0, unresolved: 0 });
    assert.deepEqual(t.accounts.asked, []);
    answer({ ok: true });
    assert.equal((await redeeming).ok, true);
    assert.equal(t.store.findById(created.invite.id)?.uses, 1);
    assert.equal(t.invites.pendingUses().length, 0);
  });

  it("settles uses a killed process left held by asking the server", async () => {
    const t = setup();
    const made = await t.invites.createAccountInvite(ADMIN);
    const notMade = await t.invites.createAccountInvite(ADMIN);
    // As a Porter killed between holding the uses and hearing from the server leaves them.
    t.invites.reserve(made.token, "made", "register");
    t.invites.reserve(notMade.token, "notmade", "register");
    t.accounts.existing.set("made", true).set("notmade", false);
    assert.deepEqual(await t.recovery.run(), { completed: 1, released: 1, unresolved: 0 });
    assert.equal(t.store.findById(made.invite.id)?.uses, 1);
    assert.equal(t.store.findById(notMade.invite.id)?.uses, 0);
  });

  it("tells the invitee the account exists when its completion cannot be written, and writes it later without asking", async () => {
    const t = setup();
    const created = await t.invites.createAccountInvite(ADMIN);
    t.store.failNext = "complete";
    const result = await t.redemption.redeem(created.token, FORM);
    assert.equal(result.ok, true);
    assert.ok(t.logs.lines().some((line) => line.level === 50 && String(line.msg).includes("could not record")));
    assert.equal(t.invites.pendingUses().length, 1, "the use stays held");
    assert.deepEqual(await t.recovery.run(), { completed: 1, released: 0, unresolved: 0 });
    assert.deepEqual(t.accounts.asked, [], "what this process saw is enough");
    assert.equal(t.store.findById(created.invite.id)?.uses, 1);
  });

  it("gives back a refused use whose release could not be written, even though the name exists on the server", async () => {
    const t = setup();
    const created = await t.invites.createAccountInvite(ADMIN);
    t.store.failNext = "release";
    t.accounts.outcomes.push({ ok: false, reason: "taken" });
    const result = await t.redemption.redeem(created.token, FORM);
    assert.equal(!result.ok && result.kind, "form");
    // Someone else's account: asking the server would wrongly spend the invite on it.
    t.accounts.existing.set("newbie", true);
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 1, unresolved: 0 });
    assert.deepEqual(t.accounts.asked, []);
    assert.equal(t.store.findById(created.invite.id)?.uses, 0);
  });

  it("keeps a failed write for the next run when the database still refuses it", async () => {
    const t = setup();
    const created = await t.invites.createAccountInvite(ADMIN);
    t.store.failNext = "complete";
    await t.redemption.redeem(created.token, FORM);
    t.store.failNext = "complete";
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 0, unresolved: 1 });
    assert.deepEqual(await t.recovery.run(), { completed: 1, released: 0, unresolved: 0 });
    assert.deepEqual(t.accounts.asked, []);
  });
});

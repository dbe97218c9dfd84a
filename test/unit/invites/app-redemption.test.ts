import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { AppRedemption } from "../../../src/invites/app-redemption.js";
import { InviteRefusal } from "../../../src/invites/errors.js";
import { RedemptionRecovery } from "../../../src/invites/redemption-recovery.js";
import { UseLedger } from "../../../src/invites/use-ledger.js";
import { testConfig } from "../../support/config.js";
import { requester, testInvites } from "../../support/invites.js";
import { capturingLogger } from "../../support/logs.js";
import { RecordingContacts, ScriptedAccounts } from "../../support/scripted-server.js";

const ADMIN = requester("admin@example.com");
const ALICE = requester("alice@example.com");

function setup(settleTimeoutMs = 60_000) {
  const invites = testInvites(testConfig());
  const log = capturingLogger();
  const ledger = new UseLedger(invites.service, log.log);
  const accounts = new ScriptedAccounts();
  const contacts = new RecordingContacts();
  const apps = new AppRedemption(invites.service, ledger, contacts, "example.com", log.log, settleTimeoutMs);
  const recovery = new RedemptionRecovery(ledger, accounts, contacts, "example.com", log.log);
  return { ...invites, apps, accounts, contacts, recovery };
}

function refusedWith(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    assert.ok(err instanceof InviteRefusal, String(err));
    return err.reason;
  }
  assert.fail("not refused");
}

describe("invites redeemed by apps through the server module", () => {
  it("holds a use at reserve, makes it final when the server reports the account, and pairs a contact invite's accounts", async () => {
    const t = setup();
    const made = await t.service.createContactInvite(ALICE);
    assert.deepEqual(t.apps.preauth(made.token), { validAt: t.clock.now, username: null });
    const id = t.apps.reserve(made.token, "friend", t.clock.now);
    assert.equal(t.store.findById(made.invite.id)?.uses, 1);
    assert.equal(t.service.pendingUses().length, 1);
    assert.equal(await t.apps.registered(id), true);
    assert.equal(t.service.pendingUses().length, 0);
    assert.deepEqual(t.contacts.pairs, ["friend@example.com + alice@example.com"]);
    assert.equal(await t.apps.registered(id), false, "a redemption is reported once");
    t.apps.close();
  });

  it("leaves a use the server never reports to recovery, which keeps or gives it back as the server says", async (context) => {
    context.mock.timers.enable({ apis: ["setTimeout"] });
    const t = setup(5_000);
    const made = await t.service.createAccountInvite(ADMIN, { maxUses: 2 });
    t.apps.reserve(made.token, "created", t.clock.now);
    t.apps.reserve(made.token, "refused", t.clock.now);
    t.accounts.existing.set("created", true).set("refused", false);
    // Held for the server, recovery leaves them alone until the report is overdue.
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 0, unresolved: 0 });
    context.mock.timers.tick(4_999);
    assert.deepEqual(await t.recovery.run(), { completed: 0, released: 0, unresolved: 0 });
    context.mock.timers.tick(1);
    assert.deepEqual(await t.recovery.run(), { completed: 1, released: 1, unresolved: 0 });
    assert.equal(t.store.findById(made.invite.id)?.uses, 1);
  });

  it("judges expiry at pre-auth time, for a while, and everything else at registration", async () => {
    const t = setup();
    const made = await t.service.createAccountInvite(ADMIN, { ttl: 3600, maxUses: 3 });
    t.clock.now += 3590;
    const { validAt } = t.apps.preauth(made.token);
    // The app registers twenty seconds later, after the invite expired.
    t.clock.now += 20;
    assert.equal(
      refusedWith(() => t.apps.preauth(made.token)),
      "gone",
    );
    t.apps.reserve(made.token, "justintime", validAt);
    // An old pre-auth is not trusted: the expiry is judged now.
    t.clock.now += 15 * 60;
    assert.equal(
      refusedWith(() => t.apps.reserve(made.token, "toolate", validAt)),
      "gone",
    );
    t.apps.close();
  });

  it("approves a contact request only with the user's own usable contact invite, spending its use", async () => {
    const t = setup();
    const alices = await t.service.createContactInvite(ALICE);
    const account = await t.service.createAccountInvite(ADMIN);
    assert.equal(t.apps.subscribe(alices.token, "bob", "carol@elsewhere.example"), false, "not bob's invite");
    assert.equal(t.apps.subscribe(account.token, "admin", "carol@elsewhere.example"), false, "not a contact invite");
    assert.equal(t.apps.subscribe("A".repeat(43), "alice", "carol@elsewhere.example"), false);
    assert.equal(t.store.findById(alices.invite.id)?.uses, 0);
    assert.equal(t.apps.subscribe(alices.token, "alice", "carol@elsewhere.example"), true);
    assert.equal(t.store.findById(alices.invite.id)?.uses, 1);
    assert.equal(t.apps.subscribe(alices.token, "alice", "dave@elsewhere.example"), false, "used up");
    assert.deepEqual(t.service.list(ADMIN, { activeOnly: false }).invites.find((invite) => invite.id === alices.invite.id)?.accounts, [
      "carol@elsewhere.example",
    ]);
  });
});

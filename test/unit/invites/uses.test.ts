import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { InviteRefusal } from "../../../src/invites/errors.js";
import { parseUses } from "../../../src/invites/uses.js";
import { testConfig } from "../../support/config.js";
import { requester, testInvites } from "../../support/invites.js";

const ADMIN = requester("admin@example.com");

async function refusalOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof InviteRefusal && err.reason === "invalid", String(err));
    return err.refusal;
  }
  assert.fail("accepted");
}

const OUT_OF_RANGE = { code: "uses-out-of-range", max: 10_000 };

describe("the number of uses as typed in the command form and on the command line", () => {
  it("leaves an absent value to the service's default, and reads 'unlimited' in any case", () => {
    assert.equal(parseUses(undefined), undefined);
    for (const text of ["unlimited", "Unlimited", "UNLIMITED"]) assert.equal(parseUses(text), null, text);
  });

  it("reads whole numbers in ASCII digits, leading zeros included", () => {
    assert.equal(parseUses("1"), 1);
    assert.equal(parseUses("10000"), 10_000);
    assert.equal(parseUses("007"), 7);
  });

  it("refuses anything else as out of the range the service allows", async () => {
    for (const text of ["", " ", " 3", "3 ", "-1", "+1", "1.5", "1e3", "0x10", "3 uses", "many", "unlimited ", "∞", "٣", "３"]) {
      assert.deepEqual(await refusalOf(() => parseUses(text)), OUT_OF_RANGE, JSON.stringify(text));
    }
  });

  it("leaves the range to the service, which refuses 0 and more than it allows with the same refusal", async () => {
    const { service } = testInvites(testConfig());
    for (const text of ["0", "10001", "9".repeat(400)]) {
      const maxUses = parseUses(text);
      assert.deepEqual(await refusalOf(async () => service.createAccountInvite(ADMIN, { maxUses })), OUT_OF_RANGE, text);
    }
    assert.equal((await service.createAccountInvite(ADMIN, { maxUses: parseUses(undefined) })).invite.maxUses, 1);
  });
});

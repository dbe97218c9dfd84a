import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { InviteRefusal } from "../../../src/invites/errors.js";
import { parseUses } from "../../../src/invites/uses.js";
import { testConfig } from "../../support/config.js";
import { testInvites } from "../../support/invites.js";

const ADMIN = { kind: "user", jid: "admin@example.com" } as const;

function refusedText(text: string): string {
  try {
    parseUses(text);
  } catch (err) {
    assert.ok(err instanceof InviteRefusal && err.reason === "invalid", String(err));
    return err.message;
  }
  assert.fail(`'${text}' was accepted`);
}

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

  it("refuses anything else, naming what it got", () => {
    for (const text of ["", " ", " 3", "3 ", "-1", "+1", "1.5", "1e3", "0x10", "3 uses", "many", "unlimited ", "∞", "٣", "３"]) {
      assert.match(refusedText(text), /^the number of uses must be a whole number or 'unlimited' \(got '.*'\)$/, JSON.stringify(text));
    }
  });

  it("leaves the range to the service, which refuses 0 and more than it allows with one message", () => {
    const { service } = testInvites(testConfig());
    for (const text of ["0", "10001", "9".repeat(400)]) {
      const maxUses = parseUses(text);
      assert.throws(() => service.createAccountInvite(ADMIN, { maxUses }), /^InviteRefusal: the number of uses must be between 1 and 10000$/, text);
    }
    assert.equal(service.createAccountInvite(ADMIN, { maxUses: parseUses(undefined) }).invite.maxUses, 1);
  });
});

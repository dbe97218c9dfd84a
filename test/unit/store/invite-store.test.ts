import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";

import Database from "better-sqlite3";

import { InviteService } from "../../../src/invites/invite-service.js";
import { invitePolicyFrom } from "../../../src/invites/invite-policy.js";
import { openDatabase } from "../../../src/store/database.js";
import { SqliteInviteStore } from "../../../src/store/invite-store.js";
import { testConfig } from "../../support/config.js";
import { tempDir } from "../../support/temp.js";

describe("invite store", () => {
  it("reports an invite whose commit failed instead of handing it out", () => {
    const path = join(tempDir(), "porter.sqlite");
    const db = openDatabase(path);
    // A commit that fails after the insert itself worked, as on a full disk: in rollback-journal
    // mode the commit needs the file to itself, and a reader holds it.
    db.pragma("journal_mode = DELETE");
    db.pragma("busy_timeout = 0");
    const reader = new Database(path);
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM invites").get();

    const invites = new InviteService(new SqliteInviteStore(db), invitePolicyFrom(testConfig()));
    assert.throws(() => invites.createAccountInvite({ kind: "cli" }), { code: "SQLITE_BUSY" });
    reader.exec("COMMIT");
    assert.deepEqual(invites.list({ kind: "cli" }), []);
    reader.close();
    db.close();
  });
});

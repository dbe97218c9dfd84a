import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";

import Database from "better-sqlite3";

import { InviteRefusal } from "../../../src/invites/errors.js";
import { openDatabase } from "../../../src/store/database.js";
import { StorageUnavailable } from "../../../src/store/errors.js";
import { GroupCommit } from "../../../src/store/group-commit.js";
import { testConfig } from "../../support/config.js";
import { requester, testInvites } from "../../support/invites.js";
import { tempDir } from "../../support/temp.js";

/** A database file with one table, the connection that writes it and one that only reads. */
function files() {
  const path = join(tempDir(), "group.sqlite");
  const db = openDatabase(path, [{ version: 1, name: "rows", sql: "CREATE TABLE rows (name TEXT NOT NULL UNIQUE)" }]);
  const reader = new Database(path, { readonly: true });
  const names = (connection: Database.Database) =>
    (connection.prepare("SELECT name FROM rows ORDER BY rowid").all() as { name: string }[]).map((row) => row.name);
  const insert = db.prepare("INSERT INTO rows (name) VALUES (?)");
  return { db, reader, names, add: (name: string) => insert.run(name) };
}

describe("group commit", () => {
  it("runs the writes of one turn in one transaction, and answers each once that transaction has committed", async () => {
    const { db, reader, names, add } = files();
    const writes = new GroupCommit(db);
    const seenByOthers: string[][] = [];
    const first = writes.run(() => add("first"));
    const second = writes.run(() => {
      add("second");
      // The reader sees committed data only: nothing yet, while this connection sees both rows.
      seenByOthers.push(names(reader));
      return names(db);
    });
    assert.deepEqual(names(reader), [], "nothing is written before the turn ends");
    await first;
    assert.deepEqual(await second, ["first", "second"]);
    assert.deepEqual(seenByOthers, [[]]);
    assert.deepEqual(names(reader), ["first", "second"], "both committed when their callers hear of them");
  });

  it("rejects a write that throws alone, without its rows, and commits the others", async () => {
    const { db, reader, names, add } = files();
    const writes = new GroupCommit(db);
    const results = await Promise.allSettled([
      writes.run(() => add("kept")),
      writes.run(() => {
        add("half");
        add("kept");
      }),
      writes.run(() => add("also kept")),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(names(reader), ["kept", "also kept"]);
  });

  it("rejects every write of the group when the commit fails, and keeps none of them", async () => {
    const path = join(tempDir(), "busy.sqlite");
    const db = openDatabase(path, [{ version: 1, name: "rows", sql: "CREATE TABLE rows (name TEXT)" }]);
    // In rollback-journal mode the commit needs the file to itself, and this reader holds it.
    db.pragma("journal_mode = DELETE");
    db.pragma("busy_timeout = 0");
    const reader = new Database(path);
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM rows").get();
    const writes = new GroupCommit(db);
    const insert = db.prepare("INSERT INTO rows (name) VALUES (?)");
    const results = await Promise.allSettled(["a", "b"].map((name) => writes.run(() => insert.run(name))));
    reader.exec("COMMIT");
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof StorageUnavailable, String(result.reason));
      assert.equal(result.reason.code, "SQLITE_BUSY");
    }
    assert.equal((reader.prepare("SELECT count(*) AS n FROM rows").get() as { n: number }).n, 0);
  });

  it("starts a new group for writes submitted after a group was answered", async () => {
    const { db, reader, names, add } = files();
    const writes = new GroupCommit(db);
    await writes.run(() => add("one"));
    await writes.run(() => add("two"));
    assert.deepEqual(names(reader), ["one", "two"]);
  });
});

describe("invites created together", () => {
  it("count the invites of the same group against the per-user limit", async () => {
    const { service } = testInvites(testConfig({ invites: { max_active_per_user: 2 } }));
    const alice = requester("alice@example.com");
    const results = await Promise.allSettled([1, 2, 3].map(() => service.createContactInvite(alice)));
    assert.deepEqual(
      results.map((result) => result.status),
      ["fulfilled", "fulfilled", "rejected"],
    );
    const refused = (results[2] as PromiseRejectedResult).reason as unknown;
    assert.ok(refused instanceof InviteRefusal);
    assert.deepEqual(refused.refusal, { code: "limit-active", max: 2 });
  });

  it("keep a username for one of them only", async () => {
    const { service } = testInvites(testConfig());
    const results = await Promise.allSettled([1, 2].map(() => service.createAccountInvite({ kind: "cli" }, { username: "dave" })));
    assert.deepEqual(
      results.map((result) => result.status),
      ["fulfilled", "rejected"],
    );
    const refused = (results[1] as PromiseRejectedResult).reason as unknown;
    assert.ok(refused instanceof InviteRefusal);
    assert.deepEqual(refused.refusal, { code: "username-kept", username: "dave" });
  });
});

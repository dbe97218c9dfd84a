import assert from "node:assert/strict";
import { describe, it } from "node:test";

import Database from "better-sqlite3";

import { guarded, isStorageUnavailable, sqliteCode, StorageUnavailable } from "../../../src/store/errors.js";

function failureOf(action: (db: Database.Database) => void): unknown {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE things (name TEXT PRIMARY KEY)");
  db.exec("INSERT INTO things VALUES ('taken')");
  try {
    action(db);
  } catch (err) {
    return err;
  } finally {
    db.close();
  }
  return assert.fail("the action did not fail");
}

describe("isStorageUnavailable", () => {
  it("is true for the codes of a file that cannot be used now, extended codes included", () => {
    for (const code of [
      "SQLITE_FULL",
      "SQLITE_READONLY",
      "SQLITE_READONLY_DBMOVED",
      "SQLITE_IOERR",
      "SQLITE_IOERR_WRITE",
      "SQLITE_IOERR_FSYNC",
      "SQLITE_BUSY",
      "SQLITE_BUSY_SNAPSHOT",
      "SQLITE_CANTOPEN",
      "SQLITE_LOCKED",
      "SQLITE_LOCKED_SHAREDCACHE",
    ]) {
      assert.equal(isStorageUnavailable(new Database.SqliteError("failed", code)), true, code);
    }
  });

  it("is false for mistakes of the query or the data, and for codes that only look alike", () => {
    for (const code of ["SQLITE_ERROR", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CORRUPT", "SQLITE_MISMATCH", "SQLITE_FULLNESS"]) {
      assert.equal(isStorageUnavailable(new Database.SqliteError("failed", code)), false, code);
    }
  });

  it("is false for anything SQLite did not raise, even with a lookalike code", () => {
    const lookalike = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    const errno = Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    for (const err of [lookalike, errno, new TypeError("The database connection is not open"), "SQLITE_FULL", undefined, null]) {
      assert.equal(isStorageUnavailable(err), false, String(err));
      assert.equal(sqliteCode(err), undefined);
    }
  });

  it("tells a refused write from a broken constraint, as better-sqlite3 raises them", () => {
    const readOnly = failureOf((db) => {
      db.pragma("query_only = 1");
      db.exec("INSERT INTO things VALUES ('new')");
    });
    assert.equal(sqliteCode(readOnly), "SQLITE_READONLY");
    assert.equal(isStorageUnavailable(readOnly), true);

    const duplicate = failureOf((db) => db.exec("INSERT INTO things VALUES ('taken')"));
    assert.equal(sqliteCode(duplicate), "SQLITE_CONSTRAINT_PRIMARYKEY");
    assert.equal(isStorageUnavailable(duplicate), false);
  });
});

describe("guarded storage operations", () => {
  it("raise StorageUnavailable, with SQLite's code and its error as the cause, when the file refuses", () => {
    const err = failureOf((db) => {
      db.pragma("query_only = 1");
      guarded(() => db.exec("INSERT INTO things VALUES ('new')"));
    });
    assert.ok(err instanceof StorageUnavailable, String(err));
    assert.equal(err.code, "SQLITE_READONLY");
    assert.ok(err.cause instanceof Database.SqliteError);
    assert.match(err.message, /^the database cannot be used right now \(SQLITE_READONLY: /);
  });

  it("let a broken constraint and every other failure through as they are", () => {
    const duplicate = failureOf((db) => guarded(() => db.exec("INSERT INTO things VALUES ('taken')")));
    assert.ok(duplicate instanceof Database.SqliteError);
    assert.equal(duplicate.code, "SQLITE_CONSTRAINT_PRIMARYKEY");
    const mistake = new TypeError("not a storage failure");
    assert.throws(
      () =>
        guarded(() => {
          throw mistake;
        }),
      (thrown) => thrown === mistake,
    );
    assert.equal(
      guarded(() => 42),
      42,
    );
  });
});

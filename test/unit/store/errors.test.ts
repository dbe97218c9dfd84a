import assert from "node:assert/strict";
import { describe, it } from "node:test";

import Database from "better-sqlite3";

import { isStorageUnavailable, sqliteCode } from "../../../src/store/errors.js";

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

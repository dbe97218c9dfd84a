import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { DatabaseError, openDatabase } from "../../../src/store/database.js";
import type { Migration } from "../../../src/store/migrations.js";
import { tempDir } from "../../support/temp.js";

const V1: Migration = { version: 1, name: "things", sql: "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)" };
const V2: Migration = { version: 2, name: "thing notes", sql: "ALTER TABLE things ADD COLUMN note TEXT" };

function tempPath(): string {
  return join(tempDir(), "nested", "folder", "porter.sqlite");
}

describe("database", () => {
  it("creates parent folders, enables WAL, foreign keys and a busy timeout", () => {
    const path = tempPath();
    const db = openDatabase(path, [V1]);
    assert.ok(existsSync(path));
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    assert.equal(db.pragma("foreign_keys", { simple: true }), 1);
    assert.equal(db.pragma("busy_timeout", { simple: true }), 5000);
    db.close();
  });

  it("applies new migrations once and keeps the data across reopenings", () => {
    const path = tempPath();
    const first = openDatabase(path, [V1]);
    first.prepare("INSERT INTO things (name) VALUES (?)").run("kept");
    first.close();
    const second = openDatabase(path, [V1, V2]);
    assert.equal(second.pragma("user_version", { simple: true }), 2);
    assert.deepEqual(second.prepare("SELECT name, note FROM things").all(), [{ name: "kept", note: null }]);
    second.close();
    const third = openDatabase(path, [V1, V2]);
    assert.equal(third.pragma("user_version", { simple: true }), 2);
    third.close();
  });

  it("lets two connections (daemon and CLI) open and migrate the same file at once", () => {
    const path = tempPath();
    const daemon = openDatabase(path, [V1, V2]);
    const cli = openDatabase(path, [V1, V2]);
    cli.prepare("INSERT INTO things (name) VALUES (?)").run("from cli");
    assert.deepEqual(daemon.prepare("SELECT name FROM things").all(), [{ name: "from cli" }]);
    daemon.close();
    cli.close();
  });

  it("refuses a file written by a newer Porter and leaves it untouched", () => {
    const path = tempPath();
    openDatabase(path, [V1, V2]).close();
    assert.throws(
      () => openDatabase(path, [V1]),
      (err: unknown) => err instanceof DatabaseError && /newer than this Porter/.test(err.message),
    );
    const again = openDatabase(path, [V1, V2]);
    assert.equal(again.pragma("user_version", { simple: true }), 2);
    again.close();
  });

  it("rolls a failing migration back completely", () => {
    const path = tempPath();
    const broken: Migration = { version: 2, name: "broken", sql: "CREATE TABLE other (id INTEGER); SELECT * FROM missing_table" };
    assert.throws(() => openDatabase(path, [V1, broken]), DatabaseError);
    const db = openDatabase(path, [V1]);
    assert.equal(db.pragma("user_version", { simple: true }), 1);
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'other'").get(), undefined);
    db.close();
  });

  it("explains a database path it cannot create", () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "not a folder");
    assert.throws(
      () => openDatabase(join(file, "porter.sqlite"), []),
      (err: unknown) => err instanceof DatabaseError && /cannot open the database/.test(err.message),
    );
  });
});

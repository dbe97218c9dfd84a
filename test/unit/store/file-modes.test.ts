import assert from "node:assert/strict";
import { chmodSync, existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";

import Database from "better-sqlite3";

import { backupDatabase } from "../../../src/store/backup.js";
import { openDatabase } from "../../../src/store/database.js";
import { tempDir } from "../../support/temp.js";

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("the database's files are owner-only whatever the umask", () => {
  // The usual umask, which leaves new files readable by everyone (644).
  before(() => process.umask(0o022));
  const dir = tempDir();

  it("creates a missing folder 0700 and the database, its -wal and -shm 0600", () => {
    const folder = join(dir, "new", "data");
    const file = join(folder, "porter.sqlite");
    const db = openDatabase(file);
    try {
      db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')");
      assert.ok(existsSync(`${file}-wal`) && existsSync(`${file}-shm`), "WAL mode keeps both files while open");
      assert.deepEqual([folder, file, `${file}-wal`, `${file}-shm`].map(modeOf), ["700", "600", "600", "600"]);
    } finally {
      db.close();
    }
  });

  it("leaves an existing folder's mode alone", () => {
    const file = join(dir, "porter.sqlite");
    chmodSync(dir, 0o755);
    openDatabase(file).close();
    assert.equal(modeOf(dir), "755");
    assert.equal(modeOf(file), "600");
  });

  it("makes files left readable by an older Porter owner-only at the next open", () => {
    const file = join(dir, "old.sqlite");
    const old = new Database(file);
    old.pragma("journal_mode = WAL");
    old.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')");
    for (const path of [file, `${file}-wal`, `${file}-shm`]) chmodSync(path, 0o644);
    const db = openDatabase(file);
    try {
      assert.deepEqual([file, `${file}-wal`, `${file}-shm`].map(modeOf), ["600", "600", "600"]);
    } finally {
      db.close();
      old.close();
    }
  });

  it("writes backups 0600, also over an existing readable file", async () => {
    const source = join(dir, "source.sqlite");
    openDatabase(source).close();
    const fresh = join(dir, "backup.sqlite");
    await backupDatabase(source, fresh, { overwrite: false });
    assert.equal(modeOf(fresh), "600");
    const existing = join(dir, "existing-backup.sqlite");
    writeFileSync(existing, "old");
    chmodSync(existing, 0o644);
    await backupDatabase(source, existing, { overwrite: true });
    assert.equal(modeOf(existing), "600");
  });
});

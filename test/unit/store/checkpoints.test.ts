import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { BackgroundCheckpoints } from "../../../src/store/checkpoints.js";
import { openDatabase } from "../../../src/store/database.js";
import { capturingLogger } from "../../support/logs.js";
import { tempDir } from "../../support/temp.js";
import { until } from "../../support/wait.js";

const TIMING = { sampleMs: 20, busyChanges: 50, quietSamples: 5, intervalMs: 10 };

function database() {
  const path = join(tempDir(), "checkpoints.sqlite");
  const db = openDatabase(path, [{ version: 1, name: "rows", sql: "CREATE TABLE rows (body BLOB NOT NULL)" }]);
  const insert = db.prepare("INSERT INTO rows (body) VALUES (randomblob(3000))");
  // One transaction per row, as commands commit: each adds pages to the WAL.
  const write = (rows: number) => {
    for (let i = 0; i < rows; i++) insert.run();
  };
  return { db, path, write };
}

const autocheckpoint = (db: ReturnType<typeof database>["db"]) => db.pragma("wal_autocheckpoint", { simple: true }) as number;

describe("background checkpoints", () => {
  it("take the checkpoints off the main connection while rows change, and give them back when writes stop", async () => {
    const { db, path, write } = database();
    const checkpoints = new BackgroundCheckpoints(db, capturingLogger().log, TIMING);
    assert.equal(checkpoints.running, false, "no thread before anything is written");
    write(200);
    await until(() => checkpoints.running, "the checkpoint thread to start", 5000);
    assert.equal(autocheckpoint(db), 0);
    const before = statSync(path).size;
    // Only a checkpoint writes the database file itself: the main connection no longer does.
    write(400);
    await until(() => statSync(path).size > before, "a checkpoint to reach the database file", 5000);
    await until(() => !checkpoints.running, "the thread to end once writes stop", 5000);
    assert.equal(autocheckpoint(db), 1000);
    await checkpoints.close();
    assert.equal((db.prepare("SELECT count(*) FROM rows").pluck().get() as number) >= 600, true);
    db.close();
  });

  it("start no thread for a few writes", async () => {
    const { db, write } = database();
    const checkpoints = new BackgroundCheckpoints(db, capturingLogger().log, TIMING);
    for (let i = 0; i < 10; i++) {
      write(2);
      await new Promise((resolve) => setTimeout(resolve, TIMING.sampleMs));
    }
    assert.equal(checkpoints.running, false);
    assert.equal(autocheckpoint(db), 1000);
    await checkpoints.close();
    db.close();
  });

  it("end the thread on close, leaving the database whole", async () => {
    const { db, write } = database();
    const checkpoints = new BackgroundCheckpoints(db, capturingLogger().log, TIMING);
    write(200);
    await until(() => checkpoints.running, "the checkpoint thread to start", 5000);
    write(100);
    await checkpoints.close();
    assert.equal(checkpoints.running, false);
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    assert.equal(db.prepare("SELECT count(*) FROM rows").pluck().get(), 300);
    db.close();
  });
});

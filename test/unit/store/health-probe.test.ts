import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";

import { openDatabase } from "../../../src/store/database.js";
import { DatabaseProbe } from "../../../src/store/health-probe.js";
import { MIGRATIONS } from "../../../src/store/schema.js";
import { capturingLogger } from "../../support/logs.js";
import { tempDir } from "../../support/temp.js";

const CACHE_MS = 5_000;

function probeOf(db = openDatabase(":memory:")) {
  const clock = { now: 1_000_000 };
  const logs = capturingLogger();
  const probe = new DatabaseProbe(db, { log: logs.log, cacheMs: CACHE_MS, now: () => clock.now });
  return { db, clock, logs, probe };
}

describe("database health probe", () => {
  it("proves health by writing its one row", () => {
    const { db, clock, probe } = probeOf();
    assert.equal(probe.healthy(), true);
    assert.deepEqual(db.prepare("SELECT id, written_at FROM health_probe").all(), [{ id: 1, written_at: clock.now }]);
    clock.now += CACHE_MS;
    assert.equal(probe.healthy(), true);
    assert.deepEqual(db.prepare("SELECT id, written_at FROM health_probe").all(), [{ id: 1, written_at: clock.now }], "still one row");
  });

  it("reports a database that reads but refuses writes as failing, and its recovery, logging each change once", () => {
    const { db, clock, logs, probe } = probeOf();
    assert.equal(probe.healthy(), true);
    db.pragma("query_only = 1");
    assert.deepEqual(db.prepare("SELECT count(*) AS rows FROM health_probe").get(), { rows: 1 }, "reads still work");
    assert.equal(probe.healthy(), true, "the answer is reused for a few seconds");
    clock.now += CACHE_MS;
    assert.equal(probe.healthy(), false);
    clock.now += CACHE_MS;
    assert.equal(probe.healthy(), false);
    const errors = logs.lines().filter((line) => line.level === 50);
    assert.equal(errors.length, 1, logs.text());
    assert.match(String(errors[0]?.msg), /does not take writes/);
    assert.equal((errors[0]?.err as { code?: string } | undefined)?.code, "SQLITE_READONLY");

    db.pragma("query_only = 0");
    assert.equal(probe.healthy(), false, "until the cached answer expires");
    clock.now += CACHE_MS;
    assert.equal(probe.healthy(), true);
    assert.deepEqual(
      logs.lines().map((line) => line.msg),
      ["the database does not take writes; /healthz reports it failing until it does", "the database takes writes again"],
    );
  });

  it("reports a closed database as failing", () => {
    const { db, probe } = probeOf();
    db.close();
    assert.equal(probe.healthy(), false);
  });

  it("works on a database made before the probe existed, once opened by this Porter", () => {
    const path = join(tempDir(), "porter.sqlite");
    openDatabase(path, MIGRATIONS.slice(0, 2)).close();
    const db = openDatabase(path);
    assert.equal(db.pragma("user_version", { simple: true }), MIGRATIONS.length);
    assert.equal(probeOf(db).probe.healthy(), true);
    db.close();
  });
});

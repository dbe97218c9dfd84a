import type Database from "better-sqlite3";

import { DatabaseError } from "./errors.js";

export interface Migration {
  /** Consecutive from 1; stored in PRAGMA user_version once applied. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Applies the migrations the file has not seen yet, each in its own
 * IMMEDIATE transaction that re-reads the version first: when the daemon and
 * the CLI start together, one of them migrates and the other finds nothing to do.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new DatabaseError(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`);
    }
  });
  const latest = migrations.length;
  const readVersion = (): number => db.pragma("user_version", { simple: true }) as number;

  const found = readVersion();
  if (found > latest) {
    throw new DatabaseError(`the database has schema version ${found}, newer than this Porter knows (${latest}); run the newer Porter or restore a backup`);
  }
  for (const migration of migrations.slice(found)) {
    db.transaction(() => {
      if (readVersion() >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return readVersion();
}

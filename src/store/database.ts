import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

import Database from "better-sqlite3";

import { DatabaseError } from "./errors.js";
import { migrate, type Migration } from "./migrations.js";
import { MIGRATIONS } from "./schema.js";

export type Db = Database.Database;
export { DatabaseError };

/**
 * Opens (creating if needed) Porter's SQLite file and brings its schema up to date.
 * WAL lets the daemon and a `porter invite ...` command use the file at the same time;
 * the busy timeout makes a writer wait for the other instead of failing at once.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const file = path === ":memory:" ? path : resolve(path);
  let db: Db;
  try {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw new DatabaseError(`cannot open the database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db, migrations);
  } catch (err) {
    db.close();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`cannot prepare the database ${file}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}

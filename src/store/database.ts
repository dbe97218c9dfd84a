import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";

import Database from "better-sqlite3";

import { DatabaseError, sqliteCode } from "./errors.js";
import { migrate, type Migration } from "./migrations.js";
import { MIGRATIONS } from "./schema.js";

export type Db = Database.Database;
export { DatabaseError };

/**
 * Opens (creating if needed) Porter's SQLite file and brings its schema up to date.
 * WAL lets the daemon and a `porter invite ...` command use the file at the same time;
 * the busy timeout makes a writer wait for the other instead of failing at once.
 * A file Porter could read but not write is refused here, with the reason, rather
 * than at the first invite. The file holds everyone's invites: it is kept
 * private (see privateFiles) whatever the umask.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const file = path === ":memory:" ? path : resolve(path);
  let db: Db;
  try {
    if (file !== ":memory:") {
      makePrivateFolder(dirname(file));
      assertWritable(file);
      createPrivateFile(file);
    }
    db = new Database(file);
  } catch (err) {
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`cannot open the database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db, migrations);
    if (file !== ":memory:") keepPrivate(file);
  } catch (err) {
    db.close();
    if (err instanceof DatabaseError) throw err;
    throw preparationFailure(file, err);
  }
  return db;
}

/** Owner only: the database, its -wal and -shm files, backups, and a folder Porter makes for them. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** Creates the folder owner-only if it is missing; an existing folder is the operator's to set. */
function makePrivateFolder(folder: string): void {
  if (existsSync(folder)) return;
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  // mkdir's mode passes through the umask: set it exactly.
  chmodSync(folder, PRIVATE_FOLDER_MODE);
}

/**
 * Creates a missing database file owner-only before SQLite opens it. SQLite
 * gives the -wal and -shm files it creates the mode of the database file,
 * whatever the umask, so they follow.
 */
function createPrivateFile(file: string): void {
  if (existsSync(file)) return;
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Files left readable by an older Porter (or a copy made with another umask)
 * are made owner-only at every open. A file owned by another user cannot be
 * changed by Porter; its owner decides, and Porter goes on.
 */
function keepPrivate(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(path, PRIVATE_FILE_MODE);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "EPERM" && code !== "EROFS") throw err;
    }
  }
}

/**
 * SQLite opens a file it may not write read-only without a word, and reads
 * from it may even work (on a read-only mount that kept its -wal and -shm
 * files). WAL also creates and removes those files beside the database, so
 * the folder must be writable too.
 */
function assertWritable(file: string): void {
  const folder = dirname(file);
  const targets = [
    { path: folder, what: `the folder ${folder}, where SQLite keeps its -wal and -shm files` },
    ...(existsSync(file) ? [{ path: file, what: "the file" }] : []),
  ];
  for (const target of targets) {
    try {
      accessSync(target.path, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
      const reason = code === "EROFS" ? "it is on a file system mounted read-only" : `this user may not write ${target.what}`;
      throw new DatabaseError(`the database ${file} is read-only: ${reason} (${code}); Porter must be able to write it`, { cause: err });
    }
  }
}

/** Says in the operator's words why the schema could not be read or brought up to date. */
function preparationFailure(file: string, err: unknown): DatabaseError {
  const code = sqliteCode(err);
  const detail = code === undefined ? (err as Error).message : `${(err as Error).message} (${code})`;
  if (code?.startsWith("SQLITE_READONLY") === true) {
    return new DatabaseError(`the database ${file} is read-only: ${detail}; Porter must be able to write it`, { cause: err });
  }
  if (code === "SQLITE_FULL") return new DatabaseError(`the database ${file} cannot be written: the disk is full (${code})`, { cause: err });
  return new DatabaseError(`cannot prepare the database ${file}: ${detail}`, { cause: err });
}

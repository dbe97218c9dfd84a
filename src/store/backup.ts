import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, linkSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

import Database from "better-sqlite3";

import { PRIVATE_FILE_MODE } from "./database.js";
import { DatabaseError } from "./errors.js";

export interface BackupResult {
  /** Absolute path of the backup written. */
  readonly destination: string;
  readonly bytes: number;
  /** The schema version inside the backup: a restore needs a Porter that knows it. */
  readonly schemaVersion: number;
}

/** The destination cannot be used as given; nothing was written there. */
export class BackupDestinationError extends DatabaseError {
  override name = "BackupDestinationError";
  constructor(
    message: string,
    readonly reason: "exists" | "is-database",
  ) {
    super(message);
  }
}

/** Pages per backup step after the first: all of them (SQLite's maximum step). */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database at `sourcePath` to `destinationPath` with SQLite's
 * online backup, safe while the daemon reads and writes it: the copy is a
 * consistent snapshot that includes what is still in the WAL file.
 *
 * The copy is made beside the destination under a temporary name, checked,
 * switched to a rollback journal (one self-contained file, no -wal beside it)
 * and only then given its name, so a failed backup never leaves a partial file
 * there. Without `overwrite` an existing destination is refused, also when it
 * appears while the copy is made. The copy is owner-only, like the database.
 */
export async function backupDatabase(sourcePath: string, destinationPath: string, options: { overwrite: boolean }): Promise<BackupResult> {
  const source = resolve(sourcePath);
  const destination = resolve(destinationPath);
  if (!existsSync(source)) throw new DatabaseError(`there is no database at ${source} (database.path)`);
  if ([source, `${source}-wal`, `${source}-shm`].includes(destination) || isSameFile(source, destination)) {
    throw new BackupDestinationError(`${destination} is the database itself`, "is-database");
  }
  if (!options.overwrite && existsSync(destination)) throw existsError(destination);
  const folder = dirname(destination);
  if (!existsSync(folder)) throw new DatabaseError(`cannot write ${destination}: the folder ${folder} does not exist`);

  const temporary = join(folder, `.${basename(destination)}.${randomBytes(6).toString("hex")}.partial`);
  try {
    createPrivate(temporary, destination);
    await copyOnline(source, temporary);
    const schemaVersion = finishCopy(temporary);
    place(temporary, destination, options.overwrite);
    return { destination, bytes: statSync(destination).size, schemaVersion };
  } finally {
    for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(`${temporary}${suffix}`, { force: true });
  }
}

function isSameFile(a: string, b: string): boolean {
  if (!existsSync(b)) return false;
  const [first, second] = [statSync(a), statSync(b)];
  return first.dev === second.dev && first.ino === second.ino;
}

function existsError(destination: string): BackupDestinationError {
  return new BackupDestinationError(`${destination} already exists`, "exists");
}

/**
 * SQLite would create the copy with the umask's mode: the file is made
 * owner-only first (an empty file is an empty database) and its mode set exactly.
 */
function createPrivate(temporary: string, destination: string): void {
  try {
    closeSync(openSync(temporary, "wx", PRIVATE_FILE_MODE));
    chmodSync(temporary, PRIVATE_FILE_MODE);
  } catch (err) {
    throw new DatabaseError(`cannot write ${destination}: ${(err as Error).message}`, { cause: err });
  }
}

async function copyOnline(source: string, temporary: string): Promise<void> {
  let db: Database.Database;
  try {
    // Not openDatabase(): a backup must never migrate the file it saves.
    db = new Database(source, { fileMustExist: true });
  } catch (err) {
    throw new DatabaseError(`cannot open the database ${source}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma("busy_timeout = 5000");
    // Each step reads one snapshot; copying everything in one step means the
    // daemon's writes between steps cannot make SQLite restart the copy.
    await db.backup(temporary, { progress: () => ALL_PAGES });
  } catch (err) {
    throw new DatabaseError(`cannot back up ${source} to ${dirname(temporary)}: ${(err as Error).message}`, { cause: err });
  } finally {
    db.close();
  }
}

/** Checks the copy, makes it one self-contained file, and returns its schema version. */
function finishCopy(temporary: string): number {
  let check: unknown;
  let version: unknown;
  try {
    const copy = new Database(temporary, { fileMustExist: true });
    try {
      copy.pragma("journal_mode = DELETE");
      check = copy.pragma("quick_check", { simple: true });
      version = copy.pragma("user_version", { simple: true });
    } finally {
      copy.close();
    }
  } catch (err) {
    throw new DatabaseError(`cannot check the backup: ${(err as Error).message}`, { cause: err });
  }
  if (check !== "ok") throw new DatabaseError(`the backup failed its integrity check: ${String(check)}`);
  return version as number;
}

function place(temporary: string, destination: string, overwrite: boolean): void {
  try {
    // rename() replaces atomically; link() creates the name only if it is free.
    if (overwrite) renameSync(temporary, destination);
    else linkSync(temporary, destination);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw existsError(destination);
    throw new DatabaseError(`cannot write ${destination}: ${(err as Error).message}`, { cause: err });
  }
}

import Database from "better-sqlite3";

export class DatabaseError extends Error {
  override name = "DatabaseError";
}

/**
 * SQLite's answers for a file that cannot be used right now (disk full,
 * read-only, I/O failure, held by another writer too long, missing), as
 * opposed to a mistake in a query or a constraint. Extended codes such as
 * SQLITE_IOERR_WRITE share their primary code's prefix.
 */
const UNAVAILABLE_CODES = ["SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_CANTOPEN", "SQLITE_LOCKED"];

/** The SQLite result code of a failure, e.g. "SQLITE_FULL"; undefined when SQLite did not raise it. */
export function sqliteCode(err: unknown): string | undefined {
  return err instanceof Database.SqliteError ? err.code : undefined;
}

/**
 * True when a failure is the storage's, not the request's: retrying later may
 * work, and the requester should be told so instead of "internal error".
 */
export function isStorageUnavailable(err: unknown): boolean {
  const code = sqliteCode(err);
  return code !== undefined && UNAVAILABLE_CODES.some((primary) => code === primary || code.startsWith(`${primary}_`));
}

/**
 * The storage cannot be used right now (disk full, read-only, I/O failure,
 * held too long by another writer): what every store raises in place of
 * SQLite's error, so that the edges answer "try again later" without
 * reading SQLite's codes. SQLite's error rides along as the cause; `code`
 * keeps its result code for the log.
 */
export class StorageUnavailable extends Error {
  override name = "StorageUnavailable";

  constructor(
    readonly code: string,
    cause: Error,
  ) {
    super(`the database cannot be used right now (${code}: ${cause.message})`, { cause });
  }
}

/** Runs one storage operation, raising StorageUnavailable where the file, not the query, failed. */
export function guarded<T>(operation: () => T): T {
  try {
    return operation();
  } catch (err) {
    const code = sqliteCode(err);
    if (code !== undefined && isStorageUnavailable(err)) throw new StorageUnavailable(code, err as Error);
    throw err;
  }
}

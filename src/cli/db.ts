import { parseArgs } from "node:util";

import type { LoadedConfig } from "../config/load.js";
import { BackupDestinationError, backupDatabase } from "../store/backup.js";
import { DatabaseError } from "../store/errors.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./exit-codes.js";

export const DB_USAGE = `Usage:
  porter db backup FILE [--force]   copy the database (database.path) to FILE
      --force            replace FILE if it exists

The backup is safe while Porter runs and writes. FILE is one complete SQLite
file. To restore it, stop Porter, remove the -wal and -shm files beside
database.path and copy FILE to database.path (see docs/deploy.md).
`;

/** `porter db ...`: maintenance of Porter's own SQLite file. */
export async function dbCommand(args: readonly string[], load: (path: string | undefined) => LoadedConfig): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
      force: { type: "boolean" },
    },
  });
  if (values.help === true) {
    process.stdout.write(DB_USAGE);
    return;
  }
  const [verb, ...rest] = positionals;
  switch (verb) {
    case "backup": {
      const [file, ...extra] = rest;
      if (file === undefined || file === "" || extra.length > 0) throw usage("backup takes one FILE to write");
      const { config } = load(values.config);
      if (config.database.path === ":memory:") throw usage("database.path is :memory:, there is no file to back up");
      const result = await backupDatabase(config.database.path, file, { overwrite: values.force === true }).catch(backupFailure);
      console.log(`backup written to ${result.destination} (${result.bytes} bytes, schema version ${result.schemaVersion})`);
      return;
    }
    case undefined:
      throw usage("missing subcommand");
    default:
      throw usage(`unknown subcommand '${verb}'`);
  }
}

function usage(message: string): CliError {
  return new CliError(`db: ${message}\n\n${DB_USAGE}`, EXIT_USAGE);
}

function backupFailure(err: unknown): never {
  if (err instanceof BackupDestinationError) {
    const hint = err.reason === "exists" ? " (--force replaces it)" : "";
    throw new CliError(`db: ${err.message}${hint}`, EXIT_USAGE);
  }
  if (err instanceof DatabaseError) throw new CliError(`db: ${err.message}`, EXIT_FAILURE);
  throw err;
}

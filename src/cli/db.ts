import type { LoadedConfig } from "../config/load.js";
import { BackupDestinationError, backupDatabase } from "../store/backup.js";
import { DatabaseError } from "../store/errors.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./exit-codes.js";
import { parseSubcommandArgs, usageError } from "./subcommand.js";
import { DB, renderSynopses } from "./synopsis.js";

const DB_USAGE = `Usage:
${renderSynopses(DB)}
Options of backup:
      --force            replace FILE if it exists

The database is database.path of the configuration (--config FILE). The
backup is safe while Porter runs and writes. FILE is one complete SQLite file.
To restore it, stop Porter, remove the -wal and -shm files beside
database.path and copy FILE to database.path (see docs/deploy.md).
`;

const COMMAND = { name: "db", usage: DB_USAGE };

/** `porter db ...`: maintenance of Porter's own SQLite file. */
export async function dbCommand(args: readonly string[], load: (path: string | undefined) => LoadedConfig): Promise<void> {
  const parsed = parseSubcommandArgs(COMMAND, args, { force: { type: "boolean" } });
  if (parsed === undefined) return;
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  switch (verb) {
    case "backup": {
      const [file, ...extra] = rest;
      if (file === undefined || file === "" || extra.length > 0) throw usageError(COMMAND, "backup takes one FILE to write");
      const { config } = load(values.config);
      if (config.database.path === ":memory:") throw usageError(COMMAND, "database.path is :memory:, there is no file to back up");
      const result = await backupDatabase(config.database.path, file, { overwrite: values.force === true }).catch(backupFailure);
      console.log(`backup written to ${result.destination} (${result.bytes} bytes, schema version ${result.schemaVersion})`);
      return;
    }
    case undefined:
      throw usageError(COMMAND, "missing subcommand");
    default:
      throw usageError(COMMAND, `unknown subcommand '${verb}'`);
  }
}

function backupFailure(err: unknown): never {
  if (err instanceof BackupDestinationError) {
    const hint = err.reason === "exists" ? " (--force replaces it)" : "";
    throw new CliError(`db: ${err.message}${hint}`, EXIT_USAGE);
  }
  if (err instanceof DatabaseError) throw new CliError(`db: ${err.message}`, EXIT_FAILURE);
  throw err;
}

import { type Options, parseCommandLine } from "./args.js";
import { CliError, EXIT_USAGE } from "./exit-codes.js";

/** A `porter <name> <verb> ...` command group with options of its own. */
export interface Subcommand {
  readonly name: string;
  readonly usage: string;
}

// Every command group takes the config file and --help besides its own options.
const COMMON = { config: { type: "string", short: "c" }, help: { type: "boolean", short: "h" } } as const;

/** Parses a command group's arguments; undefined when --help was asked for and its usage printed. */
export function parseSubcommandArgs<O extends Options>(command: Subcommand, args: readonly string[], options: O) {
  const parsed = parseCommandLine(command, args, { ...COMMON, ...options });
  if ((parsed.values as { help?: boolean }).help === true) {
    process.stdout.write(command.usage);
    return undefined;
  }
  return parsed;
}

/** Bad usage of a command group: the message, then its usage, exit code 2. */
export function usageError(command: Subcommand, message: string): CliError {
  return new CliError(`${command.name}: ${message}\n\n${command.usage}`, EXIT_USAGE);
}

import { parseArgs, type ParseArgsConfig } from "node:util";

import { CliError, EXIT_USAGE } from "./exit-codes.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** The porter command itself (no name) or one of its command groups, with the help it prints. */
export interface CommandLine {
  readonly name?: string;
  readonly usage: string;
}

/**
 * node:util parseArgs, with the operator's errors in Porter's words. Node's own
 * messages explain its parser ("To specify a positional argument starting with
 * a '-', place it ... after '--'"); these name the option, what was wrong with
 * it and the options the command takes. The arguments are checked in the
 * parser's lenient mode first, so the strict parse after it only types them.
 */
export function parseCommandLine<O extends Options>(command: CommandLine, args: readonly string[], options: O) {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const problem = optionProblem(token, options[token.name]);
    if (problem === undefined) continue;
    const full = command.name === undefined ? "porter" : `porter ${command.name}`;
    const prefix = command.name === undefined ? "" : `${command.name}: `;
    throw new CliError(`${prefix}${problem}; ${full} takes ${describeOptions(command, options)} (see '${full} --help')`, EXIT_USAGE);
  }
  return parseArgs({ args: [...args], options, allowPositionals: true });
}

type OptionToken = { kind: "option"; name: string; rawName: string; value?: string | undefined; inlineValue?: boolean | undefined };

function optionProblem(token: OptionToken, option: Options[string] | undefined): string | undefined {
  if (option === undefined) return `unknown option '${token.rawName}'`;
  if (option.type === "boolean") return token.inlineValue === true ? `option '${token.rawName}' takes no value` : undefined;
  // A value that looks like an option is taken for a forgotten value, as strict parseArgs does (--config --json).
  const missing = token.value === undefined || (token.inlineValue !== true && token.value.startsWith("-"));
  return missing ? `option '${token.rawName}' needs a value` : undefined;
}

/** "--config FILE (-c), --json": the value names are those the help shows. */
function describeOptions(command: CommandLine, options: Options): string {
  return Object.entries(options)
    .map(([name, option]) => {
      const valueName = option.type === "string" ? ` ${new RegExp(`--${name} ([A-Z][A-Z_]*)`).exec(command.usage)?.[1] ?? "VALUE"}` : "";
      return `--${name}${valueName}${option.short === undefined ? "" : ` (-${option.short})`}`;
    })
    .join(", ");
}

#!/usr/bin/env -S node --max-semi-space-size=8 --v8-pool-size=2
// V8's young generation may grow to two semi-spaces of 16 MiB each; under the
// 200-client load benchmark it did, and held 32 MiB of Porter's 147 MiB peak.
// At 8 MiB the peak was 132 MiB at the same rates, and "New Invite" kept its
// ratio to the floor. V8 starts four threads for its background work (garbage
// collection, compiling) whatever the machine; two, beside the main thread,
// kept 4 to 5 MiB less resident at idle, and on two cores shared with the XMPP
// server "New Invite" ran at 0.84 to 0.87 of the floor against 0.75 to 0.80.
// Flags of the process, so they ride on this line: the Docker image and the
// systemd unit run this file directly.
import { ConfigError, loadConfig } from "../config/load.js";
import { DatabaseError, StorageUnavailable } from "../store/errors.js";
import { VERSION } from "../version.js";
import { parseCommandLine } from "./args.js";
import { configCheck } from "./config-check.js";
import { dbCommand } from "./db.js";
import { inviteCommand } from "./invite.js";
import { oauth2Command } from "./oauth2.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./exit-codes.js";
import { start } from "./start.js";
import { USAGE } from "./usage.js";

async function main(argv: readonly string[]): Promise<void> {
  // The invite, oauth2 and db subcommands have options of their own.
  if (argv[0] === "invite") return inviteCommand(argv.slice(1), (path) => loadConfig({ path }));
  if (argv[0] === "oauth2") return oauth2Command(argv.slice(1), (path) => loadConfig({ path }));
  if (argv[0] === "db") return dbCommand(argv.slice(1), (path) => loadConfig({ path }));
  const { values, positionals } = parseCommandLine({ usage: USAGE }, argv, {
    config: { type: "string", short: "c" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "V" },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.version === true) {
    console.log(VERSION);
    return;
  }
  const command = positionals.join(" ");
  const load = () => loadConfig({ path: values.config });
  switch (command) {
    case "start":
      return start(load());
    case "config check":
      configCheck(load());
      return;
    case "":
      throw new CliError(`missing command\n\n${USAGE}`, EXIT_USAGE);
    default:
      throw new CliError(`unknown command '${command}' (see 'porter --help')`, EXIT_USAGE);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`porter: config: ${problem}`);
    process.exitCode = EXIT_USAGE;
  } else if (err instanceof CliError) {
    console.error(`porter: ${err.message}`);
    process.exitCode = err.exitCode;
  } else if (err instanceof DatabaseError) {
    console.error(`porter: ${err.message}`);
    process.exitCode = EXIT_FAILURE;
  } else if (err instanceof StorageUnavailable) {
    // A statement that fails this way is rolled back whole.
    console.error(`porter: ${err.message}; nothing was changed`);
    process.exitCode = EXIT_FAILURE;
  } else if (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS")) {
    console.error(`porter: ${err.message} (see 'porter --help')`);
    process.exitCode = EXIT_USAGE;
  } else {
    console.error("porter: unexpected error:", err);
    process.exitCode = EXIT_FAILURE;
  }
});

import { describeConfig } from "../config/describe.js";
import type { LoadedConfig } from "../config/load.js";
import { configWarnings } from "../config/warnings.js";
import { loadPageWords } from "../http/pages/locale-files.js";

export function configCheck({ config, source }: LoadedConfig): void {
  // The pages' language files are part of the configuration: a broken one fails the check as it would fail the start.
  loadPageWords(config.pages);
  const from = source.path === undefined ? "no config file (environment only)" : source.path;
  const overrides =
    source.overrides.length === 0 ? "" : `, overridden by ${source.overrides.map((key) => `PORTER_${key.replace(".", "_").toUpperCase()}`).join(", ")}`;
  console.log(`# configuration is valid: ${from}${overrides}`);
  process.stdout.write(describeConfig(config));
  // Valid but unsafe settings: on stderr, so the printed YAML stays clean, and loud.
  for (const warning of configWarnings(config)) console.error(`porter: WARNING: ${warning.key}: ${warning.message}`);
}

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../src/cli/porter.js", import.meta.url));

/** Runs the porter command with a Porter process's environment; returns its standard output. */
export function runPorterCli(args: readonly string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", ...env, PORTER_LOG_LEVEL: "silent" }, encoding: "utf8" });
}

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The compiled porter command, beside the harness in dist/. */
export const PORTER_CLI = fileURLToPath(new URL("../src/cli/porter.js", import.meta.url));

/** Runs the real porter command with only the given environment (and standard input). */
export function runPorter(args: readonly string[], env: Record<string, string> = {}, input = "") {
  const result = spawnSync(process.execPath, [PORTER_CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    input,
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The compiled porter command, beside the harness in dist/. */
export const PORTER_CLI = fileURLToPath(new URL("../src/cli/porter.js", import.meta.url));

/** The command's first line: `#!/usr/bin/env -S node FLAGS`. */
export const PORTER_SHEBANG = readFileSync(PORTER_CLI, "utf8").split("\n", 1)[0] ?? "";

/**
 * The node flags on that line, which an operator's `porter start` runs with:
 * given to the node that runs Porter here, so that tests and benchmarks
 * measure the same process.
 */
export const PORTER_NODE_FLAGS: readonly string[] = (/^#!\/usr\/bin\/env -S node(?<flags>(?: \S+)*)$/.exec(PORTER_SHEBANG)?.groups?.flags ?? "")
  .split(" ")
  .filter((flag) => flag !== "");

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

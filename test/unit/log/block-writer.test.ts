import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { until } from "../../support/wait.js";

const LOGGER = fileURLToPath(new URL("../../../src/log/logger.js", import.meta.url));

/** A process that logs through Porter's JSON logger, then runs `after` (a statement). */
function logging(after: string): { child: ChildProcess; output: () => string } {
  const script = `
    const { createLogger } = await import(${JSON.stringify(LOGGER)});
    const log = createLogger({ level: "info", format: "json" });
    log.info({ n: 1 }, "first line");
    ${after}
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

describe("the JSON log writer", () => {
  it("writes a line while the process keeps running, without waiting for a block to fill", async () => {
    const { child, output } = logging("setInterval(() => {}, 1000);");
    try {
      await until(() => output().includes("first line"), "the first line on standard output");
      assert.match(output(), /"msg":"first line"/);
    } finally {
      const exit = once(child, "exit");
      child.kill("SIGKILL");
      await exit;
    }
  });

  it("writes what it holds when the process exits at once, as after a fatal error", async () => {
    const { child, output } = logging('log.fatal("last words"); process.exit(1);');
    // "close", not "exit": standard output may still hold data when the process has exited.
    await once(child, "close");
    assert.match(output(), /"msg":"first line"/);
    assert.match(output(), /"msg":"last words"/);
  });
});

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

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

function exited(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve) => child.once("exit", resolve));
}

describe("the JSON log writer", () => {
  it("writes a line while the process keeps running, without waiting for a block to fill", async () => {
    const { child, output } = logging("setInterval(() => {}, 1000);");
    try {
      const deadline = Date.now() + 10_000;
      while (!output().includes("first line") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(output(), /"msg":"first line"/);
    } finally {
      child.kill("SIGKILL");
      await exited(child);
    }
  });

  it("writes what it holds when the process exits at once, as after a fatal error", async () => {
    const { child, output } = logging('log.fatal("last words"); process.exit(1);');
    await exited(child);
    assert.match(output(), /"msg":"first line"/);
    assert.match(output(), /"msg":"last words"/);
  });
});

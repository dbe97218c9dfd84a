import { Writable } from "node:stream";

import { createLogger, type Logger } from "../../src/log/logger.js";

/** A real Porter logger whose JSON lines are kept for assertions. */
export function capturingLogger(level: "debug" | "info" = "debug"): { log: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const log = createLogger({ level, format: "json", destination });
  const text = () => chunks.join("");
  return {
    log,
    text,
    lines: () =>
      text()
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

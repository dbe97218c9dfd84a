import { createRequire } from "node:module";

import { pino, type DestinationStream, type Logger } from "pino";
import type PinoPretty from "pino-pretty";

import type { Config } from "../config/schema.js";
import { redactLine } from "./redaction.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  readonly level: Config["log"]["level"];
  readonly format: Config["log"]["format"];
  /** Where lines go; standard output by default. Tests pass a capturing stream. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.format === "pretty" || (options.format === "auto" && process.stdout.isTTY);
  const destination = options.destination ?? (usePretty ? prettyStream() : blockWriter());
  const settings = {
    level: options.level,
    base: { name: "porter" },
    hooks: { streamWrite: redactLine },
  };
  return pino(settings, destination);
}

/*
 * JSON lines leave in blocks of 12 KiB, and at the latest 250 ms after they were
 * logged. Under load, a write per line cost a sixth of Porter's time per "New
 * Invite" (each write hands the line to another thread, and waking it is dear on
 * a virtual machine); with 4 KiB blocks those writes were still 5 to 9% of it.
 * 12 KiB stays under the 16 KiB that pino's destination writes at once. pino
 * writes what is left when the process exits, after a crash too; a SIGKILL or a
 * power cut loses at most the last 250 ms of lines.
 */
const BLOCK_BYTES = 12 * 1024;
const FLUSH_EVERY_MS = 250;

function blockWriter(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: BLOCK_BYTES, periodicFlush: FLUSH_EVERY_MS });
}

/** Loaded only for a terminal: a service writing JSON lines never needs the pretty printer in memory. */
function prettyStream(): DestinationStream {
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  return pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
}

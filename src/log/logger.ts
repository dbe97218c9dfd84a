import { createRequire } from "node:module";

import { pino, type DestinationStream, type Logger } from "pino";
import type PinoPretty from "pino-pretty";

import type { Config } from "../config/schema.js";

export type { Logger } from "pino";

/*
 * Secrets are removed by object path before a line is written, wherever they
 * appear in a log call's bindings. Redaction cannot see inside strings, so the
 * rest of Porter logs stanza and request metadata, never raw XML, bodies or URLs
 * that carry tokens.
 */
const SECRET_FIELDS = [
  "secret",
  "password",
  "password_confirm",
  "token",
  "key",
  "client_secret",
  "registration_key",
  "registration_access_token",
  "initial_access_token",
  "authorization",
  "cookie",
];
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];

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
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  return pino(settings, destination);
}

/*
 * JSON lines leave in blocks of 4 KiB, and at the latest 250 ms after they were
 * logged. Under load, a write per line cost a sixth of Porter's time per "New
 * Invite" (each write hands the line to another thread, and waking it is dear on
 * a virtual machine). pino writes what is left when the process exits, after a
 * crash too; a SIGKILL or a power cut loses at most the last 250 ms of lines.
 */
const BLOCK_BYTES = 4096;
const FLUSH_EVERY_MS = 250;

function blockWriter(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: BLOCK_BYTES, periodicFlush: FLUSH_EVERY_MS });
}

/** Loaded only for a terminal: a service writing JSON lines never needs the pretty printer in memory. */
function prettyStream(): DestinationStream {
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  return pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
}

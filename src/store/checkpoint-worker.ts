/**
 * The thread of BackgroundCheckpoints (checkpoints.ts): its own connection to
 * the database, which copies the WAL's committed pages into the database file
 * every `intervalMs` until told to stop. PASSIVE never waits for, and never
 * stops, the writer on the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";

import Database from "better-sqlite3";

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const port = parentPort;
if (port === null) throw new Error("checkpoint-worker.js runs only as a worker thread");

const db = new Database(file, { fileMustExist: true });
let timer: NodeJS.Timeout | undefined;

function checkpoint(): void {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (err) {
    // The main thread logs it and checkpoints itself again; this thread is done.
    port?.postMessage({ failed: err instanceof Error ? err.message : String(err) });
    return;
  }
  timer = setTimeout(checkpoint, intervalMs);
}

port.on("message", () => {
  clearTimeout(timer);
  db.close();
  port.close();
});
checkpoint();

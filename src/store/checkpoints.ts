import { Worker } from "node:worker_threads";

import type { Logger } from "../log/logger.js";
import type { Db } from "./database.js";

export interface CheckpointTiming {
  /** How often the rows Porter has changed are counted. */
  readonly sampleMs: number;
  /** Rows changed in one sample that start the thread. */
  readonly busyChanges: number;
  /** Samples in a row without a change that stop it. */
  readonly quietSamples: number;
  /** Pause between two checkpoints of the thread. */
  readonly intervalMs: number;
}

const DEFAULT_TIMING: CheckpointTiming = { sampleMs: 1000, busyChanges: 100, quietSamples: 30, intervalMs: 100 };

/** SQLite's own default: the writer checkpoints once the WAL holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;

/**
 * Moves SQLite's checkpoints off the event loop while Porter writes a lot.
 *
 * A checkpoint copies the WAL's pages into the database file and syncs both
 * files. SQLite runs it in whichever write crosses 1,000 WAL pages, on the
 * event loop: under the "New Invite" benchmark that was a stall of up to
 * 30 ms several times a second, during which no stanza was handled. While more
 * than `busyChanges` rows change per sample, a worker thread with its own
 * connection checkpoints instead, and the main connection's automatic
 * checkpoints are off. After `quietSamples` samples without a change the
 * thread ends and SQLite's automatic checkpoints come back, so an idle Porter
 * keeps no thread (about 11 MiB while it runs). Durability is SQLite's either way: a
 * checkpoint only copies committed pages, and one cut short is redone.
 */
export class BackgroundCheckpoints {
  private readonly timing: CheckpointTiming;
  private readonly sampler: NodeJS.Timeout;
  private readonly countChanges;
  private worker: Worker | undefined;
  private lastCount: number;
  private quiet = 0;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    timing: Partial<CheckpointTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    this.countChanges = db.prepare<[], number>("SELECT total_changes()").pluck();
    this.lastCount = this.countChanges.get() ?? 0;
    this.sampler = setInterval(() => {
      this.sample();
    }, this.timing.sampleMs);
    this.sampler.unref();
  }

  /** Whether the thread is checkpointing now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Ends the thread, if any, and waits for it: call before closing the database. */
  async close(): Promise<void> {
    clearInterval(this.sampler);
    const worker = this.worker;
    if (worker === undefined) return;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    this.stop();
    await exited;
  }

  private sample(): void {
    if (!this.db.open) return;
    const count = this.countChanges.get() ?? 0;
    const changes = count - this.lastCount;
    this.lastCount = count;
    this.quiet = changes === 0 ? this.quiet + 1 : 0;
    if (this.worker === undefined && changes >= this.timing.busyChanges) this.start();
    else if (this.worker !== undefined && this.quiet >= this.timing.quietSamples) this.stop();
  }

  private start(): void {
    const worker = new Worker(new URL("./checkpoint-worker.js", import.meta.url), {
      workerData: { file: this.db.name, intervalMs: this.timing.intervalMs },
    });
    worker.on("message", (message: { failed: string }) => {
      this.log.warn({ reason: message.failed }, "checkpointing in the background failed; SQLite checkpoints on the main thread again");
      this.stop();
    });
    worker.on("error", (err) => {
      this.log.warn({ err }, "the checkpoint thread failed; SQLite checkpoints on the main thread again");
      if (this.worker === worker) this.resumeAutomatic();
    });
    this.worker = worker;
    this.db.pragma("wal_autocheckpoint = 0");
    this.log.debug("checkpointing in a background thread");
  }

  private stop(): void {
    this.worker?.postMessage("stop");
    this.resumeAutomatic();
    this.log.debug("checkpointing on the main thread again");
  }

  private resumeAutomatic(): void {
    this.worker = undefined;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}

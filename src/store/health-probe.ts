import type Database from "better-sqlite3";

import type { Logger } from "../log/logger.js";
import type { Db } from "./database.js";

export interface DatabaseProbeOptions {
  readonly log: Logger;
  /** How long an answer is reused; polling /healthz must not become a stream of writes. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

const DEFAULT_CACHE_MS = 5_000;

/**
 * Whether the database takes writes, proven by committing one to the
 * health_probe row: reads keep working on a full disk or a read-only mount,
 * so a SELECT would call healthy a database that refuses every invite.
 * Only changes are logged, so a long outage is one error line and one
 * recovery line, not one line per health check.
 */
export class DatabaseProbe {
  private readonly upsert: Database.Statement<[number]>;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private last: { readonly at: number; readonly healthy: boolean } | undefined;

  constructor(
    db: Db,
    private readonly options: DatabaseProbeOptions,
  ) {
    this.cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
    this.now = options.now ?? Date.now;
    this.upsert = db.prepare<[number]>(
      "INSERT INTO health_probe (id, written_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
    );
  }

  healthy(): boolean {
    const at = this.now();
    if (this.last !== undefined && at - this.last.at < this.cacheMs) return this.last.healthy;
    const was = this.last?.healthy;
    let healthy = true;
    try {
      this.upsert.run(at);
    } catch (err) {
      healthy = false;
      if (was !== false) this.options.log.error({ err }, "the database does not take writes; /healthz reports it failing until it does");
    }
    if (healthy && was === false) this.options.log.info("the database takes writes again");
    this.last = { at, healthy };
    return healthy;
  }
}

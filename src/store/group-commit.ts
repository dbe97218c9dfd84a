import type { Db } from "./database.js";
import { guarded } from "./errors.js";

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * Group commit: the writes submitted in one turn of the event loop run in one
 * IMMEDIATE transaction, each inside a savepoint of its own, and each caller
 * hears of its write only once that transaction has committed.
 *
 * A commit costs the same for one row as for ten (the write lock, the WAL
 * frames of the pages touched, and now and then a checkpoint), so when
 * requests arrive together, as they do under load, they share it. Nothing
 * is answered before it is durable: a write that throws rolls back its own
 * savepoint and rejects its caller alone, and a failed COMMIT rejects every
 * caller of the group, none of whose rows were kept.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private readonly savepoint;
  private readonly group;

  constructor(private readonly db: Db) {
    // Inside the group's transaction better-sqlite3 makes a nested transaction a savepoint.
    this.savepoint = db.transaction((work: () => unknown) => work());
    this.group = db.transaction((batch: readonly Pending[]) => batch.map((entry) => this.attempt(entry)));
  }

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) {
        setImmediate(() => {
          this.flush();
        });
      }
    });
  }

  private attempt(entry: Pending): { ok: true; value: unknown } | { ok: false; error: unknown } {
    try {
      return { ok: true, value: this.savepoint(entry.work) };
    } catch (error) {
      // SQLite rolled the whole transaction back (a full disk, an I/O error): nothing of the group is kept.
      if (!this.db.inTransaction) throw error;
      return { ok: false, error };
    }
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    let outcomes;
    try {
      outcomes = guarded(() => this.group.immediate(batch));
    } catch (err) {
      for (const entry of batch) entry.reject(err);
      return;
    }
    outcomes.forEach((outcome, n) => {
      const entry = batch[n] as Pending;
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}

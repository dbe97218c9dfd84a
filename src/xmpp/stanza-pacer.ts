/**
 * Hands stanzas to their handler at most `perTurn` at a time, then lets the
 * event loop turn twice before the next ones.
 *
 * One read from the server can hold a command from each of twenty clients.
 * Handled all at once, their writes went into one group commit, and every
 * answer waited for the last command of the burst to be handled and
 * committed. In slices, the first answers leave while the next slice waits,
 * and the server routes them while Porter handles the rest. The two turns
 * are the group commit's: in the first, the writes the slice's handlers
 * submitted commit (store/group-commit.ts flushes in an immediate) and their
 * answers leave; the next slice is handled in the second.
 *
 * Order is kept: while stanzas wait, new ones queue behind them.
 */
export class StanzaPacer<T> {
  private readonly waiting: T[] = [];
  private handledThisTurn = 0;
  private paused = false;

  /** `handle` must not throw: a throw would leave the stanzas behind it waiting for the next one. */
  constructor(
    private readonly handle: (stanza: T) => void,
    private readonly perTurn: number,
  ) {}

  push(stanza: T): void {
    if (this.paused) this.waiting.push(stanza);
    else this.handleNow(stanza);
  }

  /** Forgets the stanzas still waiting (their stream is gone) and says how many there were. */
  drop(): number {
    const dropped = this.waiting.length;
    this.waiting.length = 0;
    return dropped;
  }

  private handleNow(stanza: T): void {
    if (this.handledThisTurn === 0) {
      setImmediate(() => {
        if (!this.paused) this.handledThisTurn = 0;
      });
    }
    this.handledThisTurn += 1;
    this.handle(stanza);
    if (this.handledThisTurn >= this.perTurn) {
      this.paused = true;
      setImmediate(() => {
        setImmediate(() => {
          this.resume();
        });
      });
    }
  }

  private resume(): void {
    this.paused = false;
    this.handledThisTurn = 0;
    // A whole slice pauses the pacer again at its last stanza.
    for (const stanza of this.waiting.splice(0, this.perTurn)) this.handleNow(stanza);
  }
}

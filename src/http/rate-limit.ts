/**
 * A fixed-window counter per client address: at most `limit` attempts per
 * `windowMs`. In memory, because one Porter serves one domain; old windows are
 * dropped as they are passed, so memory stays bounded by recent clients.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt; false when the address is over its limit. */
  attempt(address: string): boolean {
    const now = this.now();
    if (this.windows.size > 10_000) this.sweep(now);
    const window = this.windows.get(address);
    if (window === undefined || now - window.start >= this.windowMs) {
      this.windows.set(address, { start: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.limit;
  }

  /** Whole seconds until the address's window ends, for a Retry-After header. */
  retryAfterSeconds(address: string): number {
    const window = this.windows.get(address);
    if (window === undefined) return 0;
    return Math.max(0, Math.ceil((window.start + this.windowMs - this.now()) / 1000));
  }

  private sweep(now: number): void {
    for (const [address, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(address);
  }
}

/** How many keys a limiter remembers unless told otherwise: about 2 MB. */
export const DEFAULT_CAPACITY = 10_000;

interface Window {
  start: number;
  count: number;
}

/**
 * A fixed-window counter per key (a client address, a requester's JID): at most
 * `limit` attempts per `windowMs`. In memory, because one Porter serves one
 * domain. The keys live in a Map kept in least-recently-used order and capped
 * at `capacity`: each attempt does a constant amount of work, and when a new
 * key arrives at a full map the key unused for longest is forgotten. Forgetting
 * can only let a client start a fresh count, never refuse anyone.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private dropped = 0;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    options: { readonly capacity?: number; readonly now?: () => number } = {},
  ) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.now = options.now ?? Date.now;
  }

  /** Counts an attempt; false when the key is over its limit. */
  attempt(key: string): boolean {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
    }
    window.count += 1;
    // Delete and set moves the key to the most recently used end.
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.capacity) this.forgetOldest();
    return window.count <= this.limit;
  }

  /** Whole seconds until the key's window ends, for Retry-After; 0 when it has none. */
  retryAfterSeconds(key: string): number {
    const window = this.windows.get(key);
    if (window === undefined) return 0;
    return Math.max(0, Math.ceil((window.start + this.windowMs - this.now()) / 1000));
  }

  /** Keys remembered now: never more than the capacity. */
  get size(): number {
    return this.windows.size;
  }

  /** Keys forgotten to stay within the capacity since the limiter was made. */
  get evictions(): number {
    return this.dropped;
  }

  private forgetOldest(): void {
    const oldest = this.windows.keys().next();
    if (oldest.done === true) return;
    this.windows.delete(oldest.value);
    this.dropped += 1;
  }
}

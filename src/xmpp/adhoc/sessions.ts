import { randomBytes } from "node:crypto";

import type { FormStep } from "./command.js";

export interface Session {
  readonly id: string;
  readonly node: string;
  /** The full JID that started it: another resource may not continue it. */
  readonly owner: string;
  /** Form stages so far; the last is the current one, earlier ones serve "prev". */
  readonly stages: FormStep[];
  expiresAt: number;
}

export type Lookup = { readonly found: Session } | { readonly missing: "unknown" | "expired" };

/**
 * Multi-stage command sessions, in memory. Each lives for `ttlMs` after its
 * last step; expired ones are remembered briefly so a late reply gets
 * session-expired instead of bad-sessionid. The count is capped so nobody can
 * fill Porter's memory by starting commands and walking away.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly expired = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSessions: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  open(node: string, owner: string, first: FormStep): Session | undefined {
    this.sweep();
    if (this.sessions.size >= this.maxSessions) return undefined;
    const session: Session = { id: randomBytes(16).toString("hex"), node, owner, stages: [first], expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  lookup(id: string): Lookup {
    this.sweep();
    const session = this.sessions.get(id);
    if (session !== undefined) return { found: session };
    return { missing: this.expired.has(id) ? "expired" : "unknown" };
  }

  touch(session: Session): void {
    session.expiresAt = this.now() + this.ttlMs;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now) {
        this.sessions.delete(id);
        this.expired.set(id, now + this.ttlMs);
      }
    }
    for (const [id, forgetAt] of this.expired) if (forgetAt <= now) this.expired.delete(id);
  }
}

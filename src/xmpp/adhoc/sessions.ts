import { randomUUID } from "node:crypto";

import type { FormStep } from "./command.js";

export interface Session {
  readonly id: string;
  readonly node: string;
  /** The full JID that started it: another resource may not continue it. */
  readonly owner: string;
  /** Its bare JID, for the per-account cap. */
  readonly account: string;
  /** Form stages so far; the last is the current one, earlier ones serve "prev". */
  readonly stages: FormStep[];
  expiresAt: number;
}

export type Lookup = { readonly found: Session } | { readonly missing: "unknown" | "expired" };

/** Who opens a session: its full JID, bare JID, and whether Access counts it as an admin (for the places kept for admins). */
export interface SessionOwner {
  readonly full: string;
  readonly bare: string;
  readonly isAdmin: boolean;
}

/** Why a session was not opened: too many for this resource, this account, or in all. */
export type OpenRefusal = "resource" | "account" | "total";

export interface SessionLimits {
  /** Sessions in all; the last `adminReserve` of them only admins may open. */
  readonly total: number;
  readonly adminReserve: number;
  readonly perResource: number;
  readonly perAccount: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { total: 1000, adminReserve: 100, perResource: 5, perAccount: 20 };

/**
 * Multi-stage command sessions, in memory. Each lives for `ttlMs` after its
 * last step; expired ones are remembered briefly so a late reply gets
 * session-expired instead of bad-sessionid. The count is capped so nobody can
 * fill Porter's memory by starting commands and walking away, per resource
 * and per account so that one user cannot take every place, and with places
 * kept for admins so that a flood never locks them out.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly expired = new Map<string, number>();
  private readonly perResource = new Map<string, number>();
  private readonly perAccount = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  open(node: string, owner: SessionOwner, first: FormStep): Session | OpenRefusal {
    this.sweep();
    const room = owner.isAdmin ? this.limits.total : this.limits.total - this.limits.adminReserve;
    if (this.sessions.size >= room) return "total";
    if ((this.perResource.get(owner.full) ?? 0) >= this.limits.perResource) return "resource";
    if ((this.perAccount.get(owner.bare) ?? 0) >= this.limits.perAccount) return "account";
    const session: Session = {
      id: randomUUID(),
      node,
      owner: owner.full,
      account: owner.bare,
      stages: [first],
      expiresAt: this.now() + this.ttlMs,
    };
    this.sessions.set(session.id, session);
    count(this.perResource, session.owner, 1);
    count(this.perAccount, session.account, 1);
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
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    count(this.perResource, session.owner, -1);
    count(this.perAccount, session.account, -1);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now) {
        this.close(id);
        this.expired.set(id, now + this.ttlMs);
      }
    }
    for (const [id, forgetAt] of this.expired) if (forgetAt <= now) this.expired.delete(id);
  }
}

function count(counts: Map<string, number>, key: string, change: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + change;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

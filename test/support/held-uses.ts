import assert from "node:assert/strict";

import Database from "better-sqlite3";

import { runPorter } from "../../harness/porter-cli.js";
import type { PorterProcess } from "../../harness/porter-process.js";

export interface CreatedLink {
  readonly id: number;
  readonly link: string;
}

/** An invite made with the real `porter invite create` on the daemon's database. */
export function createInviteLink(env: Record<string, string>, args: readonly string[] = []): CreatedLink {
  const created = runPorter(["invite", "create", ...args, "--json"], { ...env, PORTER_LOG_LEVEL: "silent" });
  assert.equal(created.code, 0, created.stderr);
  const parsed = JSON.parse(created.stdout) as { id: number; landing_url: string };
  return { id: parsed.id, link: parsed.landing_url };
}

/** The link as the given Porter serves it: each run listens on its own port. */
export function linkOn(porter: PorterProcess, link: CreatedLink): string {
  return new URL(new URL(link.link).pathname, porter.baseUrl).toString();
}

export interface UseRecord {
  readonly uses: number;
  readonly completed: number;
  readonly pending: number;
}

/** Per invite, its use count and its redemptions by state, read from the file as it is now. */
export function useRecords(databasePath: string): Map<number, UseRecord> {
  const db = new Database(databasePath, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT i.id, i.uses,
                (SELECT count(*) FROM redemptions r WHERE r.invite_id = i.id AND r.state = 'completed') AS completed,
                (SELECT count(*) FROM redemptions r WHERE r.invite_id = i.id AND r.state = 'pending') AS pending
           FROM invites i`,
      )
      .all() as { id: number; uses: number; completed: number; pending: number }[];
    return new Map(rows.map((row) => [row.id, { uses: row.uses, completed: row.completed, pending: row.pending }]));
  } finally {
    db.close();
  }
}

/** How many redemptions are in the given state, of the given invites or of all. */
export function redemptionCount(databasePath: string, state: "completed" | "pending", links?: readonly CreatedLink[]): number {
  const records = useRecords(databasePath);
  const chosen = links === undefined ? [...records.values()] : links.map((link) => records.get(link.id));
  return chosen.reduce((sum, record) => sum + (record?.[state] ?? 0), 0);
}

export function pendingCount(databasePath: string): number {
  return redemptionCount(databasePath, "pending");
}

/** Polls until no use is held any more, or fails saying how many still are. */
export async function waitUntilNothingHeld(databasePath: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pendingCount(databasePath) > 0) {
    if (Date.now() > deadline) assert.fail(`${pendingCount(databasePath)} uses still held after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

import type { Config } from "../../src/config/schema.js";
import { InviteService } from "../../src/invites/invite-service.js";
import { invitePolicyFrom } from "../../src/invites/invite-policy.js";
import { openDatabase } from "../../src/store/database.js";
import { SqliteInviteStore } from "../../src/store/invite-store.js";

/** The real invite service over a fresh in-memory database, with a clock the test can move. */
export function testInvites(config: Config, clock = { now: 1_800_000_000 }) {
  const db = openDatabase(":memory:");
  const store = new SqliteInviteStore(db);
  const service = new InviteService(store, invitePolicyFrom(config), () => clock.now);
  return { db, store, service, clock };
}

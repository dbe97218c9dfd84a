import assert from "node:assert/strict";

import { accessFrom } from "../../src/access/access.js";
import { type JidRequester, parseRequester } from "../../src/access/requester.js";
import type { Config } from "../../src/config/schema.js";
import { InviteService } from "../../src/invites/invite-service.js";
import { invitePolicyFrom } from "../../src/invites/invite-policy.js";
import { openDatabase } from "../../src/store/database.js";
import { SqliteInviteStore } from "../../src/store/invite-store.js";

/** The real invite service over a fresh in-memory database, with a clock the test can move. */
export function testInvites(config: Config, clock = { now: 1_800_000_000 }) {
  const db = openDatabase(":memory:");
  const store = new SqliteInviteStore(db);
  const access = accessFrom(config);
  const service = new InviteService(store, access, invitePolicyFrom(config), () => clock.now);
  return { db, store, access, service, clock };
}

/** The requester a stanza from this address would carry. */
export function requester(jid: string): JidRequester {
  return parseRequester(jid) ?? assert.fail(`not a JID: ${jid}`);
}

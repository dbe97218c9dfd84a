import type { InviteService } from "../../invites/invite-service.js";
import type { Command } from "../adhoc/command.js";
import { actorOf } from "./actor.js";
import { INVITE_COLUMNS, inviteRow } from "./invite-summary.js";

/** "List invites": admins see every invite, users their own; newest first. */
export function listInvitesCommand(invites: InviteService): Command {
  return {
    node: "urn:xmpp:porter:invites#list",
    name: "List invites",
    mayRun: (requester) => requester.isLocal,
    start: (requester) => {
      const list = invites.list(actorOf(requester));
      if (list.length === 0) return { kind: "completed", notes: [{ type: "info", text: "There are no invites." }] };
      return {
        kind: "completed",
        table: { title: `Invites (${list.length})`, columns: INVITE_COLUMNS, rows: list.map((invite) => inviteRow(invite, invites.status(invite))) },
      };
    },
  };
}

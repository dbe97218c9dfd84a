import type { InviteService } from "../../invites/invite-service.js";
import type { Command } from "../adhoc/command.js";
import { actorOf } from "./actor.js";
import { describeInvite } from "./invite-summary.js";

/** "Revoke invite": pick one of your active invites (admins: any) and it stops working at once. */
export function revokeInviteCommand(invites: InviteService): Command {
  return {
    node: "urn:xmpp:porter:invites#revoke",
    name: "Revoke invite",
    mayRun: (requester) => requester.isLocal,
    start: (requester) => {
      const actor = actorOf(requester);
      const active = invites.list(actor, { activeOnly: true });
      if (active.length === 0) return { kind: "completed", notes: [{ type: "info", text: "There are no active invites to revoke." }] };
      return {
        kind: "form",
        form: {
          title: "Revoke invite",
          fields: [
            {
              var: "invite",
              type: "list-single",
              label: "Invite to revoke",
              required: true,
              options: active.map((invite) => ({ label: describeInvite(invite), value: String(invite.id) })),
            },
          ],
        },
        submit: (values) => {
          const revoked = invites.revoke(actor, Number(values.text("invite")));
          return { kind: "completed", notes: [{ type: "info", text: `Invite #${revoked.id} is revoked: its link no longer works.` }] };
        },
      };
    },
  };
}

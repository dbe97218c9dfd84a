import type { InviteService } from "../../invites/invite-service.js";
import type { Command } from "../adhoc/command.js";
import { describeInvite } from "./invite-summary.js";

/** The newest active invites offered; `porter invite revoke ID` reaches any other. */
const REVOKE_CHOICES = 100;

/** "Revoke invite": pick one of your active invites (admins: any) and it stops working at once. */
export function revokeInviteCommand(invites: InviteService): Command {
  return {
    node: "urn:xmpp:porter:invites#revoke",
    name: "Revoke invite",
    access: "local",
    start: (requester) => {
      const page = invites.list(requester, { activeOnly: true, limit: REVOKE_CHOICES });
      const active = page.invites;
      if (active.length === 0) return { kind: "completed", notes: [{ type: "info", text: "There are no active invites to revoke." }] };
      return {
        kind: "form",
        form: {
          title: "Revoke invite",
          ...(page.total > active.length
            ? { instructions: `The newest ${active.length} of ${page.total} active invites; the command line (porter invite revoke ID) reaches the others.` }
            : {}),
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
          const revoked = invites.revoke(requester, Number(values.text("invite")));
          return { kind: "completed", notes: [{ type: "info", text: `Invite #${revoked.id} is revoked: its link no longer works.` }] };
        },
      };
    },
  };
}

import type { CheckedInvites } from "../../invites/checked-invites.js";
import type { Command } from "../adhoc/command.js";
import { invitationResult } from "./invitation-result.js";

/** Prosody 13's node for the same command (mod_invites_adhoc), so that scripts written for it run it at Porter's JID. */
export const PROSODY_RESET_NODE = "xmpp:prosody.im/mod_invites_adhoc#password-reset";

/** "Create password reset invite": admins; a link that lets an existing account set a new password. */
export function resetInviteCommand(invites: CheckedInvites, host: string, node = "urn:xmpp:porter:invites#reset"): Command {
  return {
    node,
    name: "Create password reset invite",
    access: "admin",
    start: (requester) => ({
      kind: "form",
      form: {
        title: "Create password reset invite",
        fields: [{ var: "accountjid", type: "jid-single", label: `The account on ${host} whose password is reset`, required: true }],
      },
      submit: async (values) =>
        invitationResult(await invites.createResetInvite(requester, values.text("accountjid") ?? ""), "The password reset invite has been created"),
    }),
  };
}

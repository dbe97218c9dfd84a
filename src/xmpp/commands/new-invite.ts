import type { InviteService } from "../../invites/invite-service.js";
import type { Command } from "../adhoc/command.js";
import { invitationResult } from "./invitation-result.js";

/**
 * "New Invite" (XEP-0401): any local user gets a link that makes the invitee
 * their contact and, where the server allows user invites, creates an account.
 * A single step, as in Prosody, so clients get the link with one tap.
 */
export function newInviteCommand(invites: InviteService): Command {
  return {
    node: "urn:xmpp:invite#invite",
    name: "New Invite",
    access: "local",
    start: async (requester) => invitationResult(await invites.createContactInvite(requester), "Your invite has been created"),
  };
}

import type { InviteService } from "../../invites/invite-service.js";
import type { Command } from "../adhoc/command.js";
import { createAccountInviteCommand } from "./create-account-invite.js";
import { listInvitesCommand } from "./list-invites.js";
import { newInviteCommand } from "./new-invite.js";
import { resetInviteCommand } from "./reset-invite.js";
import { revokeInviteCommand } from "./revoke-invite.js";

/** Porter's ad-hoc commands, in the order clients list them. */
export function inviteCommands(invites: InviteService, host: string): Command[] {
  return [
    newInviteCommand(invites),
    createAccountInviteCommand(invites),
    listInvitesCommand(invites),
    revokeInviteCommand(invites),
    resetInviteCommand(invites, host),
  ];
}

import type { CheckedInvites } from "../../invites/checked-invites.js";
import type { InviteService } from "../../invites/invite-service.js";
import type { ClientRegistry } from "../../oauth2/client-registry.js";
import type { Command } from "../adhoc/command.js";
import { createAccountInviteCommand } from "./create-account-invite.js";
import { listInvitesCommand } from "./list-invites.js";
import { newInviteCommand } from "./new-invite.js";
import { registerOAuth2ClientCommand } from "./register-oauth2-client.js";
import { PROSODY_RESET_NODE, resetInviteCommand } from "./reset-invite.js";
import { revokeInviteCommand } from "./revoke-invite.js";
import { revokeOAuth2ClientCommand } from "./revoke-oauth2-client.js";

/** Porter's ad-hoc commands, in the order clients list them. */
export function inviteCommands(invites: InviteService, checked: CheckedInvites, host: string): Command[] {
  return [
    newInviteCommand(invites),
    createAccountInviteCommand(checked),
    listInvitesCommand(invites, host),
    revokeInviteCommand(invites),
    resetInviteCommand(checked, host),
    { ...resetInviteCommand(checked, host, PROSODY_RESET_NODE), alias: true },
  ];
}

/** The OAuth2 client commands, offered only when client registration is configured. */
export function oauth2Commands(registry: ClientRegistry | null): Command[] {
  return registry === null ? [] : [registerOAuth2ClientCommand(registry), revokeOAuth2ClientCommand(registry)];
}

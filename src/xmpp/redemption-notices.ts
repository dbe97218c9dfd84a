import xml from "@xmpp/xml";

import { CLI_CREATOR, isSubscription } from "../invites/invite.js";
import type { InviteService } from "../invites/invite-service.js";
import type { Logger } from "../log/logger.js";
import type { ComponentConnection } from "./connection.js";

/**
 * Tells an invite's creator, in a chat message from Porter's JID, who used it.
 * Invites made with the command line have nobody to tell.
 */
export function sendRedemptionNotices(
  invites: InviteService,
  connection: ComponentConnection,
  addresses: { readonly host: string; readonly domain: string },
  log: Logger,
): void {
  invites.onRedeemed(({ invite, account }) => {
    if (invite.creator === CLI_CREATOR) return;
    const subscribed = isSubscription({ account });
    const address = subscribed ? account : `${account}@${addresses.host}`;
    const what =
      invite.kind === "reset"
        ? `${address} has set a new password with your reset invite`
        : subscribed
          ? `${address} is now your contact through your invite`
          : `${address} has joined using your invite`;
    const note = invite.note === null ? "" : ` ("${invite.note}")`;
    const message = xml("message", { type: "chat", from: addresses.domain, to: invite.creator }, xml("body", {}, `${what} #${invite.id}${note}.`));
    connection.send(message).catch((err: unknown) => {
      log.warn({ err, invite: invite.id }, "could not tell the invite's creator that it was used");
    });
  });
}

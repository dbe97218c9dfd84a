import xml from "@xmpp/xml";

import { CLI_CREATOR, isSubscription } from "../invites/invite.js";
import type { InviteService } from "../invites/invite-service.js";
import type { Logger } from "../log/logger.js";
import type { ComponentConnection } from "./connection.js";
import type { RequesterLanguages } from "./languages.js";
import type { XmppWords } from "./words/index.js";

/**
 * Tells an invite's creator, in a chat message from Porter's JID, who used it,
 * in the language the creator last spoke to Porter in (else the default one).
 * Invites made with the command line have nobody to tell.
 */
export function sendRedemptionNotices(
  invites: InviteService,
  connection: ComponentConnection,
  addresses: { readonly host: string; readonly domain: string },
  speech: { readonly words: XmppWords; readonly languages: RequesterLanguages },
  log: Logger,
): void {
  invites.onRedeemed(({ invite, account }) => {
    if (invite.creator === CLI_CREATOR) return;
    const subscribed = isSubscription({ account });
    const address = subscribed ? account : `${account}@${addresses.host}`;
    const lang = speech.languages.of(invite.creator);
    const key = invite.kind === "reset" ? "notice.reset" : subscribed ? "notice.contact" : "notice.joined";
    const notice = speech.words.say(lang, key, { address, id: String(invite.id) });
    const lines = invite.note === null ? [notice.text] : [notice.text, speech.words.say(notice.lang, "notice.note", { note: invite.note }).text];
    const message = xml("message", { type: "chat", from: addresses.domain, to: invite.creator, "xml:lang": notice.lang }, xml("body", {}, lines.join("\n")));
    connection.send(message).catch((err: unknown) => {
      log.warn({ err, invite: invite.id }, "could not tell the invite's creator that it was used");
    });
  });
}

import { fixedAccountOf, type Invite } from "./invite.js";

/** The invite's web page, as handed to the invitee. */
export function landingUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/invite/${token}`;
}

// RFC 5122 §2.3: a JID's localpart in an xmpp: URI is percent-encoded outside
// unreserved characters and the sub-delims XMPP allows there.
function encodeLocalpart(local: string): string {
  return encodeURIComponent(local).replace(/[!$()*,;=+']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The XEP-0401 / XEP-0379 URI that XMPP clients understand:
 *   account invite   xmpp:host?register;preauth=T   (xmpp:user@host?... with a reserved username)
 *   contact invite   xmpp:inviter@host?roster;preauth=T[;ibr=y]
 *   password reset   xmpp:user@host?register;preauth=T
 * `createsAccount` says whether a contact invite may create an account now
 * (InviteService.permits), which the URI tells apps with ;ibr=y.
 */
export function xmppUri(invite: Invite, token: string, host: string, createsAccount: boolean): string {
  if (invite.kind === "contact") {
    return `xmpp:${encodeLocalpart(invite.inviter)}@${host}?roster;preauth=${token}${createsAccount ? ";ibr=y" : ""}`;
  }
  const fixed = fixedAccountOf(invite);
  const account = fixed === null ? host : `${encodeLocalpart(fixed)}@${host}`;
  return `xmpp:${account}?register;preauth=${token}`;
}

import type { CreatedInvite } from "../../invites/invite-service.js";
import type { Completed } from "../adhoc/command.js";

/** XEP-0401's form type for a created invitation. */
export const INVITATION_FORM_TYPE = "urn:xmpp:invite#invitation";

/** XEP-0082 DateTime in UTC, without fractions, as XEP-0401 examples and Prosody write it. */
export function xmppDateTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The result every invite-creating command returns, with the field names of
 * Prosody's mod_invites_adhoc and ejabberd's mod_invites (landing-url, uri,
 * expire), so that clients and scripts written for them find the same fields
 * (docs/compatibility.md).
 */
export function invitationResult(created: CreatedInvite, title: string): Completed {
  return {
    kind: "completed",
    result: {
      title,
      formType: INVITATION_FORM_TYPE,
      fields: [
        { var: "landing-url", type: "text-single", label: "Invite web page", desc: "Share this link", values: [created.landingUrl] },
        { var: "uri", type: "text-single", label: "Invite URI", desc: "This alternative link can be opened with some XMPP clients", values: [created.uri] },
        { var: "expire", type: "text-single", label: "Invite valid until", values: [xmppDateTime(created.invite.expiresAt)] },
      ],
    },
  };
}

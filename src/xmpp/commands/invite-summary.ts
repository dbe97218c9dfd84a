import { accountsOf, type Invite, type InviteStatus, type ListedInvite, namedUsernameOf } from "../../invites/invite.js";
import { xmppDateTime } from "./invitation-result.js";

const KIND_LABELS = { account: "account", contact: "contact", reset: "password reset" } as const;

/** One line that tells invites apart in a list-single option. */
export function describeInvite(invite: Invite): string {
  const name = namedUsernameOf(invite);
  const about = name === null ? "" : ` (${name})`;
  const note = invite.note === null ? "" : ` — ${invite.note}`;
  return `#${invite.id} ${KIND_LABELS[invite.kind]}${about}, until ${xmppDateTime(invite.expiresAt)}${note}`;
}

/** Whom the invite is for: the reserved name, the account to reset, or whose contact the invitee becomes. */
function inviteTarget(invite: Invite): string {
  const name = namedUsernameOf(invite) ?? "";
  return invite.kind === "contact" ? `contact of ${name}` : name;
}

/** The row of the invite list table. */
export function inviteRow(invite: ListedInvite, status: InviteStatus, host: string): Record<string, string> {
  return {
    id: String(invite.id),
    kind: KIND_LABELS[invite.kind],
    for: inviteTarget(invite),
    accounts: accountsOf(invite, host).join(", "),
    creator: invite.creator,
    status,
    uses: `${invite.uses}/${invite.maxUses ?? "unlimited"}`,
    expires: xmppDateTime(invite.expiresAt),
    note: invite.note ?? "",
  };
}

export const INVITE_COLUMNS = [
  { var: "id", label: "ID" },
  { var: "kind", label: "Kind" },
  { var: "for", label: "For" },
  { var: "accounts", label: "Accounts" },
  { var: "creator", label: "Created by" },
  { var: "status", label: "Status" },
  { var: "uses", label: "Uses" },
  { var: "expires", label: "Valid until" },
  { var: "note", label: "Note" },
] as const;

import { badRequest } from "../stanza-error.js";
import type { InviteService } from "../../invites/invite-service.js";
import type { Command, Completed } from "../adhoc/command.js";
import type { FormSpec } from "../forms.js";
import { INVITE_COLUMNS, inviteRow } from "./invite-summary.js";

/** Rows per page: a table clients still show comfortably. */
export const LIST_PAGE_SIZE = 50;

const FORM: FormSpec = {
  title: "List invites",
  instructions: `Newest first, ${LIST_PAGE_SIZE} at a time. Complete the form as it is for the newest active invites.`,
  fields: [
    {
      var: "show",
      type: "list-single",
      label: "Show",
      values: ["active"],
      options: [
        { label: "Active invites", value: "active" },
        { label: "All invites, with used, expired and revoked ones", value: "all" },
      ],
    },
    { var: "from", type: "text-single", label: "Skip this many of the newest", desc: "0 for the first page", values: ["0"], maxLength: 9 },
  ],
};

/** "List invites": admins see every invite, users their own; newest first, a page at a time. */
export function listInvitesCommand(invites: InviteService, host: string): Command {
  return {
    node: "urn:xmpp:porter:invites#list",
    name: "List invites",
    access: "local",
    start: (requester) => ({
      kind: "form",
      form: FORM,
      submit: (values): Completed => {
        const from = values.text("from") ?? "0";
        if (!/^\d{1,9}$/.test(from)) throw badRequest("field 'from' must be a whole number, 0 for the first page");
        const offset = Number(from);
        const activeOnly = values.text("show") !== "all";
        const page = invites.list(requester, { activeOnly, limit: LIST_PAGE_SIZE, offset });
        const what = activeOnly ? "active invites" : "invites";
        if (page.invites.length === 0) {
          return {
            kind: "completed",
            notes: [{ type: "info", text: page.total === 0 ? `There are no ${what}.` : `There are ${page.total} ${what}; none after the first ${offset}.` }],
          };
        }
        const last = offset + page.invites.length;
        const more = last < page.total ? [{ type: "info" as const, text: `Run List invites again and skip ${last} for the next ones.` }] : [];
        return {
          kind: "completed",
          notes: more,
          table: {
            title: `${capitalised(what)} ${offset + 1} to ${last} of ${page.total}, newest first`,
            columns: INVITE_COLUMNS,
            rows: page.invites.map((invite) => inviteRow(invite, invites.status(invite), host)),
          },
        };
      },
    }),
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

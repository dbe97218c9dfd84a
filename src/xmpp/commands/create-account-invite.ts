import { parseDuration } from "../../config/duration.js";
import { badRequest } from "../stanza-error.js";
import type { CheckedInvites } from "../../invites/checked-invites.js";
import { parseUses } from "../../invites/uses.js";
import type { Command } from "../adhoc/command.js";
import type { FormSpec } from "../forms.js";
import { invitationResult } from "./invitation-result.js";

const FORM: FormSpec = {
  title: "Create new account invite",
  instructions: "Every field is optional: complete the form as it is for a single-use invite.",
  fields: [
    { var: "username", type: "text-single", label: "Reserved username", desc: "Only this username can be registered with the invite", maxLength: 64 },
    { var: "ttl", type: "text-single", label: "Valid for", desc: "A duration such as 12h, 7d or 30d", maxLength: 16 },
    {
      var: "uses",
      type: "text-single",
      label: "Number of uses",
      desc: "A number, or 'unlimited' to allow any number until it expires",
      values: ["1"],
      maxLength: 16,
    },
    { var: "note", type: "text-single", label: "Note", desc: "For you and other admins; the invitee does not see it", maxLength: 500 },
    // ejabberd's name for it, which apps such as Conversations fill in; Porter's earlier "roster" still works.
    { var: "roster-subscription", type: "boolean", label: "Add the new account and me to each other's contacts", values: ["0"], aliases: ["roster"] },
  ],
};

function parseTtl(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined) throw badRequest("field 'ttl' must be a duration such as 12h, 7d or 30d");
  return seconds;
}

/** "Create new account invite": admins; an optional form with the invite's options. */
export function createAccountInviteCommand(invites: CheckedInvites): Command {
  return {
    node: "urn:xmpp:invite#create-account",
    name: "Create new account invite",
    access: "admin",
    start: (requester) => ({
      kind: "form",
      form: FORM,
      submit: async (values) =>
        invitationResult(
          await invites.createAccountInvite(requester, {
            username: values.text("username"),
            ttl: parseTtl(values.text("ttl")),
            maxUses: parseUses(values.text("uses")),
            note: values.text("note"),
            addContact: values.bool("roster-subscription"),
          }),
          "The account invite has been created",
        ),
    }),
  };
}

import { parseDuration } from "../config/duration.js";
import { DaemonAccounts } from "../control/control-client.js";
import { controlSocketPath } from "../control/socket-path.js";
import { CheckedInvites } from "../invites/checked-invites.js";
import { type LoadedConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { InviteRefusal } from "../invites/errors.js";
import { accountsOf, type Invite, namedUsernameOf } from "../invites/invite.js";
import { accessFrom } from "../access/access.js";
import { OPERATOR } from "../access/requester.js";
import { type CreatedInvite, type InvitePage, InviteService } from "../invites/invite-service.js";
import { invitePolicyFrom } from "../invites/invite-policy.js";
import { parseUses } from "../invites/uses.js";
import { openDatabase } from "../store/database.js";
import { SqliteInviteStore } from "../store/invite-store.js";
import { CliError, EXIT_USAGE } from "./exit-codes.js";
import { refusalText } from "./refusals.js";
import { parseSubcommandArgs, usageError } from "./subcommand.js";
import { INVITE, renderSynopses } from "./synopsis.js";
import { formatTime } from "./time.js";

const INVITE_USAGE = `Usage:
${renderSynopses(INVITE)}
Options of create:
      --account          an invite that creates an account (the default)
      --contact JID      a contact invite: the invitee and JID (a user here) become contacts
      --reset USER       a password reset invite for the existing account USER
      --ttl DURATION     how long it stays valid, e.g. 12h, 7d (default: invites.ttl)
      --uses N           how many accounts it may create, or "unlimited" (default 1)
      --username NAME    reserve this username for the new account
      --note TEXT        a note for admins; the invitee does not see it
      --json             print the result as JSON

Options of list:
      --all              also used, expired and revoked invites
      --limit N          at most N invites (default 50)
      --offset N         skip the N newest
      --json             print the list as JSON

The command works on the database of the configuration (--config FILE), also
while Porter runs. An invite that names an account (--username, --contact,
--reset) is checked on the XMPP server through the running Porter; without
one, it is made unchecked, with a warning. Dates are in UTC.
`;

const COMMAND = { name: "invite", usage: INVITE_USAGE };

const OPTIONS = {
  json: { type: "boolean" },
  all: { type: "boolean" },
  limit: { type: "string" },
  offset: { type: "string" },
  account: { type: "boolean" },
  contact: { type: "string" },
  reset: { type: "string" },
  ttl: { type: "string" },
  uses: { type: "string" },
  username: { type: "string" },
  note: { type: "string" },
} as const;

type InviteValues = NonNullable<ReturnType<typeof parseSubcommandArgs<typeof OPTIONS>>>["values"];

/** `porter invite ...`: the operator's equivalent of the ad-hoc commands, on the same database. */
export async function inviteCommand(args: readonly string[], load: (path: string | undefined) => LoadedConfig): Promise<void> {
  const parsed = parseSubcommandArgs(COMMAND, args, OPTIONS);
  if (parsed === undefined) return;
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  const { config } = load(values.config);
  const db = openDatabase(config.database.path);
  try {
    const invites = new InviteService(new SqliteInviteStore(db), accessFrom(config), invitePolicyFrom(config));
    switch (verb) {
      case "create":
        noMoreArguments(rest);
        await createInvite(invites, config, values);
        return;
      case "list":
        noMoreArguments(rest);
        listInvites(invites, config, values);
        return;
      case "revoke":
        await revokeInvite(invites, rest);
        return;
      case undefined:
        throw usageError(COMMAND, "missing subcommand");
      default:
        throw usageError(COMMAND, `unknown subcommand '${verb}'`);
    }
  } finally {
    db.close();
  }
}

function noMoreArguments(rest: readonly string[]): void {
  if (rest.length > 0) throw usageError(COMMAND, `unexpected argument '${rest.join(" ")}'`);
}

async function createInvite(invites: InviteService, config: Config, values: InviteValues): Promise<void> {
  const chosen = [values.account === true, values.contact !== undefined, values.reset !== undefined].filter(Boolean).length;
  if (chosen > 1) throw usageError(COMMAND, "choose one of --account, --contact and --reset");
  const ttl = values.ttl === undefined ? undefined : parseDuration(values.ttl);
  if (values.ttl !== undefined && ttl === undefined) throw usageError(COMMAND, `--ttl must be a duration such as 12h or 7d (got '${values.ttl}')`);
  const server = new DaemonAccounts(controlSocketPath(config.database.path));
  const checked = new CheckedInvites(invites, server, config.xmpp.host);
  const created = await refusalsAsErrors(() => {
    if (values.contact !== undefined) return checked.createContactInvite(OPERATOR, { inviter: values.contact, ttl, note: values.note });
    if (values.reset !== undefined) return checked.createResetInvite(OPERATOR, values.reset, { ttl, note: values.note });
    return checked.createAccountInvite(OPERATOR, {
      username: values.username,
      ttl,
      maxUses: parseUses(values.uses),
      note: values.note,
    });
  });
  if (server.unchecked !== undefined) {
    console.error(`porter: warning: the account was not checked on the XMPP server: ${server.unchecked}; a problem shows when the invite is used`);
  }
  printCreated(created, values.json === true);
}

function listInvites(invites: InviteService, config: Config, values: InviteValues): void {
  const limit = wholeNumber("--limit", values.limit, DEFAULT_LIST_LIMIT);
  const offset = wholeNumber("--offset", values.offset, 0);
  if (limit < 1) throw usageError(COMMAND, "--limit must be at least 1");
  const page = invites.list(OPERATOR, { activeOnly: values.all !== true, limit, offset });
  printList(invites, page, offset, config.xmpp.host, values.json === true);
}

async function revokeInvite(invites: InviteService, rest: readonly string[]): Promise<void> {
  const [id, ...extra] = rest;
  if (id === undefined || extra.length > 0 || !/^\d+$/.test(id)) throw usageError(COMMAND, "revoke takes one invite ID (see 'porter invite list')");
  const revoked = await refusalsAsErrors(() => invites.revoke(OPERATOR, Number(id)));
  console.log(`invite ${revoked.id} revoked`);
}

const DEFAULT_LIST_LIMIT = 50;

function wholeNumber(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text)) throw usageError(COMMAND, `${option} must be a whole number (got '${text}')`);
  return Number(text);
}

async function refusalsAsErrors<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof InviteRefusal) throw new CliError(`invite: ${refusalText(err.refusal)}`, err.reason === "invalid" ? EXIT_USAGE : 1);
    throw err;
  }
}

function inviteJson(invite: Invite, status: string, accounts: readonly string[]) {
  return {
    id: invite.id,
    kind: invite.kind,
    status,
    for: inviteTarget(invite) || null,
    accounts,
    creator: invite.creator,
    uses: invite.uses,
    max_uses: invite.maxUses,
    note: invite.note,
    created: formatTime(invite.createdAt),
    expires: formatTime(invite.expiresAt),
    revoked: invite.revokedAt === null ? null : formatTime(invite.revokedAt),
  };
}

function printCreated(created: CreatedInvite, json: boolean): void {
  const { invite } = created;
  if (json) {
    console.log(JSON.stringify({ ...inviteJson(invite, "active", []), landing_url: created.landingUrl, uri: created.uri }, null, 2));
    return;
  }
  console.log(`Invite ${invite.id} (${invite.kind}) valid until ${formatTime(invite.expiresAt)}`);
  console.log(`  link: ${created.landingUrl}`);
  console.log(`  uri:  ${created.uri}`);
}

/** Whom the invite is for: the reserved name, the account to reset, or whose contact the invitee becomes. */
function inviteTarget(invite: Invite): string {
  const name = namedUsernameOf(invite) ?? "";
  return invite.kind === "contact" ? `contact of ${name}` : name;
}

function printList(service: InviteService, page: InvitePage, offset: number, host: string, json: boolean): void {
  if (json) {
    console.log(
      JSON.stringify(
        page.invites.map((invite) => inviteJson(invite, service.status(invite), accountsOf(invite, host))),
        null,
        2,
      ),
    );
    return;
  }
  if (page.invites.length === 0) {
    console.log(page.total === 0 ? "no invites" : `no invites after the first ${offset} of ${page.total}`);
    return;
  }
  const rows = page.invites.map((invite) => [
    String(invite.id),
    invite.kind,
    service.status(invite),
    inviteTarget(invite) || "-",
    accountsOf(invite, host).join(", ") || "-",
    invite.creator,
    `${invite.uses}/${invite.maxUses ?? "∞"}`,
    formatTime(invite.expiresAt),
    invite.note ?? "",
  ]);
  const header = ["ID", "KIND", "STATUS", "FOR", "ACCOUNTS", "CREATOR", "USES", "EXPIRES", "NOTE"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    );
  const last = offset + page.invites.length;
  if (last < page.total) console.log(`(${offset + 1} to ${last} of ${page.total}, newest first; --offset ${last} for the next ones)`);
}

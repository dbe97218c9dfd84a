/**
 * Every form of the porter command, written once: `porter --help` lists them
 * all and each command group's --help lists its own, so the two cannot drift
 * apart (README.md copies them, and a test compares). Every command also takes
 * --config FILE, which the help says once instead of on every line.
 */
export interface Synopsis {
  /** What the operator types; [optional] parts, UPPERCASE values. */
  readonly line: string;
  readonly does: string;
}

export const START: readonly Synopsis[] = [{ line: "porter start", does: "connect to the XMPP server and serve HTTP until SIGINT or SIGTERM" }];

export const CONFIG: readonly Synopsis[] = [{ line: "porter config check", does: "validate the configuration and print it, secrets masked" }];

export const INVITE: readonly Synopsis[] = [
  {
    line: "porter invite create [--account | --contact JID | --reset USER] [--ttl DURATION] [--uses N|unlimited] [--username NAME] [--note TEXT] [--json]",
    does: "create an invite: for a new account (the default), to become JID's contact, or to reset USER's password",
  },
  {
    line: "porter invite list [--all] [--limit N] [--offset N] [--json]",
    does: "list active invites (--all: also used, expired and revoked ones), newest first",
  },
  { line: "porter invite revoke ID", does: "make an invite stop working at once" },
];

export const OAUTH2: readonly Synopsis[] = [
  {
    line: "porter oauth2 check CLIENT_ID [--secret-stdin] [--json]",
    does: "tell whether an OAuth2 client is valid on this host, and show its metadata",
  },
  { line: "porter oauth2 revoke CLIENT_ID", does: "make one OAuth2 client's credentials stop working at once" },
];

export const DB: readonly Synopsis[] = [{ line: "porter db backup FILE [--force]", does: "copy the database to FILE, also while Porter runs" }];

const WIDTH = 80;

/** The synopses as help prints them: each line wrapped between its parts, then what it does. */
export function renderSynopses(synopses: readonly Synopsis[]): string {
  // A [bracketed] part of a synopsis is never split.
  return synopses.map((synopsis) => `${wrap(synopsis.line.match(/\[[^\]]*\]|\S+/g) ?? [], 2, 10)}\n${wrap(synopsis.does.split(" "), 6, 6)}\n`).join("");
}

function wrap(parts: readonly string[], indent: number, continuation: number): string {
  const lines: string[] = [];
  let current = " ".repeat(indent);
  for (const part of parts) {
    if (current.trim() !== "" && current.length + 1 + part.length > WIDTH) {
      lines.push(current);
      current = " ".repeat(continuation);
    }
    current += current.trim() === "" ? part : ` ${part}`;
  }
  lines.push(current);
  return lines.join("\n");
}

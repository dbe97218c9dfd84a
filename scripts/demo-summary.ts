import { isAbsolute, relative } from "node:path";

import type { Style } from "./terminal.js";

/** A word as a POSIX shell reads it back unchanged: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function shellCommand(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}

/** A path as short as it can be shown: relative to `cwd` when inside it, absolute otherwise. */
export function shownPath(path: string, cwd = process.cwd()): string {
  const shown = relative(cwd, path);
  return shown === "" || shown.startsWith("..") || isAbsolute(shown) ? path : shown;
}

export interface DemoSummary {
  /** The server that runs, e.g. "Prosody 0.12.3". */
  readonly server: string;
  readonly invite: { readonly url: string; readonly expires: string; readonly qr: string };
  readonly registerUrl: string;
  /** Shell command lines that work as printed from the current folder. */
  readonly inviteCommand: string;
  readonly oauth2Command: string;
  readonly c2sPort: number;
  readonly accounts: readonly string[];
  readonly component: string;
  readonly files: readonly string[];
}

const LABEL_WIDTH = 19;

/**
 * What the demo prints once everything runs: the things to try, one a line,
 * each behind a label so that the eye (and a test) finds it.
 */
export function renderSummary(summary: DemoSummary, style: Style): string {
  const row = (label: string, value: string) => `${style.bold(label.padEnd(LABEL_WIDTH))}${value}`;
  const more = (value: string) => `${" ".repeat(LABEL_WIDTH)}${value}`;
  return [
    `Porter is attached to a loopback ${summary.server}.`,
    "",
    `An invite for one new account, valid until ${summary.invite.expires}:`,
    `  ${summary.invite.url}`,
    summary.invite.qr.replace(/\n+$/, ""),
    "",
    row("Open registration", summary.registerUrl),
    row("More invites", summary.inviteCommand),
    row("An OAuth2 client", summary.oauth2Command),
    row("XMPP accounts", summary.accounts.join(", ")),
    more(style.dim(`on 127.0.0.1 port ${summary.c2sPort} without TLS; Porter's ad-hoc commands are at ${summary.component}`)),
    row("Config and log", summary.files.join(", ")),
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}

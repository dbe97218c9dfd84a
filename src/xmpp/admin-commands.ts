import { randomBytes } from "node:crypto";

import xml, { type Element } from "@xmpp/xml";

import type { AccountGateway, AccountOutcome } from "../accounts/account-gateway.js";
import type { Logger } from "../log/logger.js";
import type { ComponentConnection } from "./connection.js";
import { NS } from "./namespaces.js";

// https://xmpp.org/extensions/xep-0133.html
const ADMIN_FORM_TYPE = "http://jabber.org/protocol/admin";
const ADD_USER = "http://jabber.org/protocol/admin#add-user";
const CHANGE_PASSWORD = "http://jabber.org/protocol/admin#change-user-password";
const DELETE_USER = "http://jabber.org/protocol/admin#delete-user";
const USER_STATS = "http://jabber.org/protocol/admin#user-stats";
const REQUEST_TIMEOUT_MS = 15_000;

function field(name: string, value: string, type?: string): Element {
  return xml("field", { var: name, type }, xml("value", {}, value));
}

function passwordFields(password: string): Element[] {
  return [field("password", password), field("password-verify", password)];
}

/**
 * Accounts through the server's XEP-0133 admin commands, sent from Porter's
 * component JID to the host (the operator grants this: Prosody lists the
 * component in `admins`, ejabberd allows it the `configure` rule). Both
 * servers accept the filled form in the first request, so there is no session
 * to keep. They report failure differently: ejabberd with IQ errors
 * (conflict for a taken name), Prosody with a completed command carrying an
 * error note; both are read here. The password is never logged.
 */
export class AdminCommandGateway implements AccountGateway {
  /** Accounts an existence check created and could not remove: the next check removes them first. */
  private readonly leftoverProbes = new Set<string>();

  constructor(
    private readonly connection: ComponentConnection,
    private readonly addresses: { readonly host: string; readonly domain: string },
    private readonly log: Logger,
  ) {}

  createAccount(username: string, password: string): Promise<AccountOutcome> {
    return this.logged(ADD_USER, username, passwordFields(password));
  }

  changePassword(username: string, password: string): Promise<AccountOutcome> {
    return this.logged(CHANGE_PASSWORD, username, [field("password", password)]);
  }

  async accountExists(username: string): Promise<boolean | undefined> {
    const account = this.jidOf(username);
    if (this.leftoverProbes.has(account)) return (await this.removeProbe(account)) ? false : undefined;
    // Prosody answers "User does not exist" here, which settles it without touching anything.
    const stats = await this.execute(USER_STATS, account, []);
    if (!stats.ok) return stats.reason === "missing" ? false : undefined;
    // Stats do not prove the account exists: ejabberd 23.01 gives them for any name, and
    // none of its admin commands tells otherwise without reading the password. So try to
    // create the account with a throwaway password: "taken" proves it exists; success
    // proves it did not, and the account is removed again at once.
    const probe = await this.execute(ADD_USER, account, passwordFields(randomBytes(32).toString("base64url")));
    if (!probe.ok) {
      if (probe.reason === "uncertain") {
        // The answer to the probe itself was lost: if the server made the account, the
        // next check finds it "taken", with the throwaway password.
        this.log.error({ account }, "checking whether an account exists was interrupted; if its owner cannot log in, send them a password reset invite");
      }
      return probe.reason === "taken" ? true : undefined;
    }
    this.leftoverProbes.add(account);
    return (await this.removeProbe(account)) ? false : undefined;
  }

  private async removeProbe(account: string): Promise<boolean> {
    const removed = await this.execute(DELETE_USER, account, [field("accountjids", account, "jid-multi")], false);
    if (removed.ok) {
      this.leftoverProbes.delete(account);
      return true;
    }
    this.log.error(
      { account, reason: removed.reason, detail: removed.detail },
      "an account created only to check that it did not exist could not be removed yet; Porter retries at the next check",
    );
    return false;
  }

  private async logged(node: string, username: string, fields: Element[]): Promise<AccountOutcome> {
    const account = this.jidOf(username);
    const outcome = await this.execute(node, account, fields);
    if (!outcome.ok) this.log.info({ node, account, reason: outcome.reason, detail: outcome.detail }, "admin command refused");
    return outcome;
  }

  private jidOf(username: string): string {
    return `${username}@${this.addresses.host}`;
  }

  /** Runs one admin command for `account`; `withAccount` false when the fields name it themselves. */
  private async execute(node: string, account: string, fields: Element[], withAccount = true): Promise<AccountOutcome> {
    if (!this.connection.isOnline) return { ok: false, reason: "unavailable", detail: "the XMPP server is not connected" };
    const request = xml(
      "iq",
      { type: "set", to: this.addresses.host, from: this.addresses.domain },
      xml(
        "command",
        { xmlns: NS.commands, node, action: "execute" },
        xml(
          "x",
          { xmlns: NS.dataForms, type: "submit" },
          field("FORM_TYPE", ADMIN_FORM_TYPE, "hidden"),
          ...(withAccount ? [field("accountjid", account)] : []),
          ...fields,
        ),
      ),
    );
    let reply: Element;
    try {
      reply = await this.connection.request(request, REQUEST_TIMEOUT_MS);
    } catch (err) {
      // Sent but unanswered: the server may have done it before it went away.
      this.log.warn({ err, node, account }, "the XMPP server did not answer an admin command");
      return { ok: false, reason: "uncertain", detail: "the XMPP server did not answer" };
    }
    return readOutcome(reply, node);
  }
}

function readOutcome(reply: Element, node: string): AccountOutcome {
  if (reply.attrs.type === "error") {
    const error = reply.getChild("error");
    const condition = error?.getChildElements().find((child) => child.attrs.xmlns === NS.stanzas && child.name !== "text")?.name;
    const detail = error?.getChildText("text", NS.stanzas) ?? condition ?? "no condition";
    switch (condition) {
      case "conflict":
        return { ok: false, reason: "taken", detail };
      case "forbidden":
      case "not-authorized":
        return { ok: false, reason: "not-permitted", detail };
      case "item-not-found":
        // ejabberd answers a password change for an unknown account this way.
        return node === CHANGE_PASSWORD ? { ok: false, reason: "missing", detail } : { ok: false, reason: "refused", detail };
      case "remote-server-timeout":
      case "service-unavailable":
        return { ok: false, reason: "unavailable", detail };
      case undefined:
      default:
        return { ok: false, reason: "refused", detail };
    }
  }
  const command = reply.getChild("command", NS.commands);
  if (command?.attrs.status !== "completed") return { ok: false, reason: "refused", detail: `unexpected answer (status ${String(command?.attrs.status)})` };
  // Prosody reports failures as a completed command with an error note.
  const notes = command.getChildren("note");
  // Prosody reports an account it could not delete in an info note.
  const undeleted = node === DELETE_USER ? notes.find((note) => /could not be deleted/i.test(note.text())) : undefined;
  if (undeleted !== undefined) return { ok: false, reason: "refused", detail: undeleted.text() };
  const errorNote = notes.find((note) => note.attrs.type === "error");
  if (errorNote === undefined) return { ok: true };
  const text = errorNote.text();
  if (/already exists/i.test(text)) return { ok: false, reason: "taken", detail: text };
  if (/does not exist|no such user|not found/i.test(text)) return { ok: false, reason: "missing", detail: text };
  return { ok: false, reason: "refused", detail: text };
}

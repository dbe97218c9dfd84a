import xml, { type Element } from "@xmpp/xml";

import type { AccountGateway, AccountOutcome } from "../accounts/account-gateway.js";
import type { Logger } from "../log/logger.js";
import type { ComponentConnection } from "./connection.js";
import { NS } from "./namespaces.js";

// https://xmpp.org/extensions/xep-0133.html
const ADMIN_FORM_TYPE = "http://jabber.org/protocol/admin";
const ADD_USER = "http://jabber.org/protocol/admin#add-user";
const CHANGE_PASSWORD = "http://jabber.org/protocol/admin#change-user-password";
const REQUEST_TIMEOUT_MS = 15_000;

function field(name: string, value: string, type?: string): Element {
  return xml("field", { var: name, type }, xml("value", {}, value));
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
  constructor(
    private readonly connection: ComponentConnection,
    private readonly addresses: { readonly host: string; readonly domain: string },
    private readonly log: Logger,
  ) {}

  createAccount(username: string, password: string): Promise<AccountOutcome> {
    return this.run(ADD_USER, username, [field("password", password), field("password-verify", password)]);
  }

  changePassword(username: string, password: string): Promise<AccountOutcome> {
    return this.run(CHANGE_PASSWORD, username, [field("password", password)]);
  }

  private async run(node: string, username: string, fields: Element[]): Promise<AccountOutcome> {
    if (!this.connection.isOnline) return { ok: false, reason: "unavailable", detail: "the XMPP server is not connected" };
    const account = `${username}@${this.addresses.host}`;
    const request = xml(
      "iq",
      { type: "set", to: this.addresses.host, from: this.addresses.domain },
      xml(
        "command",
        { xmlns: NS.commands, node, action: "execute" },
        xml("x", { xmlns: NS.dataForms, type: "submit" }, field("FORM_TYPE", ADMIN_FORM_TYPE, "hidden"), field("accountjid", account), ...fields),
      ),
    );
    let reply: Element;
    try {
      reply = await this.connection.request(request, REQUEST_TIMEOUT_MS);
    } catch (err) {
      this.log.warn({ err, node, account }, "the XMPP server did not answer an admin command");
      return { ok: false, reason: "unavailable", detail: "the XMPP server did not answer" };
    }
    const outcome = readOutcome(reply, node);
    if (!outcome.ok) this.log.info({ node, account, reason: outcome.reason, detail: outcome.detail }, "admin command refused");
    return outcome;
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
  const errorNote = command.getChildren("note").find((note) => note.attrs.type === "error");
  if (errorNote === undefined) return { ok: true };
  const text = errorNote.text();
  if (/already exists/i.test(text)) return { ok: false, reason: "taken", detail: text };
  if (/does not exist|no such user|not found/i.test(text)) return { ok: false, reason: "missing", detail: text };
  return { ok: false, reason: "refused", detail: text };
}

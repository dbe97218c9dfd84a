import xml, { type Element } from "@xmpp/xml";

import type { ContactGateway } from "../accounts/contact-gateway.js";
import type { Logger } from "../log/logger.js";
import type { ComponentConnection } from "./connection.js";
import { NS } from "./namespaces.js";

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Mutual contacts through XEP-0356 roster privilege: Porter writes each
 * account into the other's roster with subscription "both". Servers differ:
 * Prosody's mod_privilege honours the subscription, ejabberd 23.01 fails every
 * privileged roster set, ejabberd 24.12 keeps the old subscription (but must
 * not load mod_privilege at all: docs/servers.md), and a server without the
 * grant refuses. So the result is checked
 * by reading the roster back, and anything short of a mutual subscription
 * counts as not paired (the page then tells the invitee how to add the contact).
 * https://xmpp.org/extensions/xep-0356.html#roster
 */
export class RosterPairing implements ContactGateway {
  constructor(
    private readonly connection: ComponentConnection,
    private readonly domain: string,
    private readonly log: Logger,
  ) {}

  async pair(first: string, second: string): Promise<boolean> {
    try {
      const written = (await this.setItem(first, second)) && (await this.setItem(second, first));
      const paired = written && (await this.subscription(first, second)) === "both" && (await this.subscription(second, first)) === "both";
      if (!paired)
        this.log.info({ first, second }, "the server did not make the accounts mutual contacts (roster privilege missing or subscription not honoured)");
      return paired;
    } catch (err) {
      this.log.warn({ err, first, second }, "pairing contacts failed");
      return false;
    }
  }

  private async setItem(owner: string, contact: string): Promise<boolean> {
    const item = xml("item", { jid: contact, subscription: "both", name: contact.split("@")[0] });
    const reply = await this.roster(owner, "set", item);
    return reply.attrs.type === "result";
  }

  private async subscription(owner: string, contact: string): Promise<string | undefined> {
    const reply = await this.roster(owner, "get");
    const items = reply.getChild("query", NS.roster)?.getChildren("item") ?? [];
    return items.find((item) => item.attrs.jid === contact)?.attrs.subscription as string | undefined;
  }

  private roster(owner: string, type: "get" | "set", ...children: Element[]): Promise<Element> {
    return this.connection.request(xml("iq", { type, to: owner, from: this.domain }, xml("query", { xmlns: NS.roster }, ...children)), REQUEST_TIMEOUT_MS);
  }
}

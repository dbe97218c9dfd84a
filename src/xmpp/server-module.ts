import xml from "@xmpp/xml";

import type { Logger } from "../log/logger.js";
import type { ComponentConnection } from "./connection.js";
import { NS } from "./namespaces.js";

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Whether Porter's module runs inside the server, as the host's disco#info
 * says (the module advertises the bridge namespace there). Porter's
 * configuration needs no key for it: the pages offer the app flow exactly
 * when the server can redeem invites. Checked when the stream comes online
 * and on a schedule, so loading or removing the module is noticed.
 */
export class ServerModuleWatch {
  /** undefined until the server first answers, so that the first answer is logged either way. */
  private present: boolean | undefined;

  constructor(
    private readonly connection: ComponentConnection,
    private readonly addresses: { readonly host: string; readonly domain: string },
    private readonly log: Logger,
  ) {}

  get isPresent(): boolean {
    return this.present === true;
  }

  async check(): Promise<void> {
    if (!this.connection.isOnline) return;
    let present: boolean;
    try {
      const reply = await this.connection.request(
        xml("iq", { type: "get", to: this.addresses.host, from: this.addresses.domain }, xml("query", { xmlns: NS.discoInfo })),
        REQUEST_TIMEOUT_MS,
      );
      present =
        reply.attrs.type === "result" &&
        (reply
          .getChild("query", NS.discoInfo)
          ?.getChildren("feature")
          .some((feature) => feature.attrs.var === NS.bridge) ??
          false);
    } catch (err) {
      this.log.debug({ err }, "could not ask the server whether Porter's module is loaded; keeping the last answer");
      return;
    }
    if (present === this.present) return;
    this.present = present;
    this.log.info(
      { host: this.addresses.host },
      present
        ? "Porter's server module is loaded: apps can redeem invites and find the invite commands on the host"
        : "Porter's server module is not loaded: invites are redeemed on the web pages only",
    );
  }
}

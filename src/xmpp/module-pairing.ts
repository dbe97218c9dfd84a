import xml from "@xmpp/xml";

import type { ContactGateway } from "../accounts/contact-gateway.js";
import type { Logger } from "../log/logger.js";
import type { ComponentConnection } from "./connection.js";
import { NS } from "./namespaces.js";
import type { ServerModuleWatch } from "./server-module.js";

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Mutual contacts through Porter's module inside the server where it runs
 * (docs/bridge.md, `pair`): the module writes both rosters itself, which
 * works where the roster privilege does not (ejabberd 23.01 fails every
 * privileged roster set, and 24.12 must run without mod_privilege). Without the module, or if it
 * refuses, the roster privilege is tried as before.
 */
export class ModulePairing implements ContactGateway {
  constructor(
    private readonly connection: ComponentConnection,
    private readonly addresses: { readonly host: string; readonly domain: string },
    private readonly serverModule: ServerModuleWatch,
    private readonly privileged: ContactGateway,
    private readonly log: Logger,
  ) {}

  async pair(first: string, second: string): Promise<boolean> {
    const user = this.localpartOf(first);
    const contact = this.localpartOf(second);
    if (this.serverModule.isPresent && user !== undefined && contact !== undefined && (await this.askModule(user, contact))) return true;
    return this.privileged.pair(first, second);
  }

  private async askModule(user: string, contact: string): Promise<boolean> {
    try {
      const reply = await this.connection.request(
        xml("iq", { type: "set", to: this.addresses.host, from: this.addresses.domain }, xml("pair", { xmlns: NS.bridge, user, contact })),
        REQUEST_TIMEOUT_MS,
      );
      if (reply.attrs.type === "result") return true;
      this.log.info(
        { user, contact, error: reply.getChild("error")?.toString() },
        "Porter's server module did not pair the contacts; trying the roster privilege",
      );
    } catch (err) {
      this.log.warn({ err, user, contact }, "asking Porter's server module to pair contacts failed; trying the roster privilege");
    }
    return false;
  }

  private localpartOf(jid: string): string | undefined {
    const suffix = `@${this.addresses.host}`;
    return jid.endsWith(suffix) ? jid.slice(0, -suffix.length) : undefined;
  }
}

import type { Config } from "../config/schema.js";
import type { Requester } from "./requester.js";

/** What a command or an operation needs of its requester: to be a user of the served host, or one of its admins. */
export type AccessLevel = "local" | "admin";

/**
 * The one place that knows who may do what on the served host. The edges ask
 * it before offering or running anything, and the domain asks it again
 * because the command line and the server's module reach the domain without
 * passing the ad-hoc commands.
 */
export class Access {
  private readonly admins: ReadonlySet<string>;

  constructor(
    /** The served host: its users are local, every invite is for an account there. */
    readonly host: string,
    admins: Iterable<string>,
  ) {
    this.admins = new Set(admins);
  }

  /** A user of the served host; the operator counts as one. */
  isLocal(requester: Requester): boolean {
    return requester.kind === "cli" || (requester.local !== "" && requester.domain === this.host);
  }

  /** A local user the configuration names in `admins`, or the operator. */
  isAdmin(requester: Requester): boolean {
    return this.isLocal(requester) && (requester.kind === "cli" || this.admins.has(requester.bare));
  }

  allows(requester: Requester, level: AccessLevel): boolean {
    return level === "admin" ? this.isAdmin(requester) : this.isLocal(requester);
  }
}

export function accessFrom(config: Config): Access {
  return new Access(config.xmpp.host, config.admins);
}

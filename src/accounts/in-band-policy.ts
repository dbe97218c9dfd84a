import type { Config } from "../config/schema.js";

/**
 * Who may register accounts in-band through Porter (XEP-0077), as Prosody's
 * mod_register_redirect decides it: the allow-list holds bare JIDs or whole
 * domains; no_whitelist closes it to everyone.
 */
export class InBandPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly settings: Config["register_redirect"]) {
    this.allowed = new Set(settings.whitelist);
  }

  mayRegister(requester: { readonly bare: string; readonly domain: string }): boolean {
    return this.admittedBy(requester) !== undefined;
  }

  /**
   * The allow-list entry that lets the requester register (its bare JID, else
   * its domain), undefined when none does. Registrations are counted per
   * entry: a listed domain's server can invent any number of local parts.
   */
  admittedBy(requester: { readonly bare: string; readonly domain: string }): string | undefined {
    if (this.settings.no_whitelist) return undefined;
    const bare = requester.bare.toLowerCase();
    if (this.allowed.has(bare)) return bare;
    const domain = requester.domain.toLowerCase();
    return this.allowed.has(domain) ? domain : undefined;
  }
}

/** Where people are sent to register, and the operator's own instructions (null: Porter words them). */
export function redirectOf(config: Config): { readonly url: string; readonly text: string | null } {
  return { url: config.register_redirect.url ?? `${config.http.public_url}/register`, text: config.register_redirect.text };
}

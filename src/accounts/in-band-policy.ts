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
    if (this.settings.no_whitelist) return false;
    return this.allowed.has(requester.bare.toLowerCase()) || this.allowed.has(requester.domain.toLowerCase());
  }
}

/** Where people are sent to register, and what they are told. */
export function redirectOf(config: Config): { readonly url: string; readonly instructions: string } {
  const url = config.register_redirect.url ?? `${config.http.public_url}/register`;
  return {
    url,
    instructions: config.register_redirect.text ?? `Please visit ${url} to register an account on ${config.xmpp.host}.`,
  };
}

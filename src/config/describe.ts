import { stringify } from "yaml";

import { formatDuration } from "./duration.js";
import type { Config } from "./schema.js";
import { formatTrustProxy } from "./trust-proxy.js";

const MASK = "********";

/**
 * The effective configuration as YAML in the file's own vocabulary, with every
 * secret masked, for `porter config check` and for support requests.
 */
export function describeConfig(config: Config): string {
  const printable = {
    xmpp: { ...config.xmpp, secret: MASK },
    admins: config.admins,
    invites: { ...config.invites, ttl: formatDuration(config.invites.ttl), reset_ttl: formatDuration(config.invites.reset_ttl) },
    http: {
      ...config.http,
      listen: formatListen(config.http.listen),
      trust_proxy: formatTrustProxy(config.http.trust_proxy),
      form_limit_window: formatDuration(config.http.form_limit_window),
    },
    register_redirect: config.register_redirect,
    oauth2: {
      registration_key: config.oauth2.registration_key?.map(() => MASK) ?? null,
      registration_ttl: config.oauth2.registration_ttl === null ? null : formatDuration(config.oauth2.registration_ttl),
      initial_access_token: config.oauth2.initial_access_token === null ? null : MASK,
      registration_limit: config.oauth2.registration_limit,
      registration_limit_window: formatDuration(config.oauth2.registration_limit_window),
    },
    // The logo's path, not its bytes.
    pages: { ...config.pages, logo: config.pages.logo?.path ?? null },
    database: config.database,
    log: config.log,
  } satisfies Record<keyof Config, unknown>;
  return stringify(printable, { nullStr: "null" });
}

export function formatListen({ host, port }: Config["http"]["listen"]): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

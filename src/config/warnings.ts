import { formatListen } from "./describe.js";
import type { Config } from "./schema.js";

/** A setting that works but weakens Porter; `config check` prints it and `start` logs it. */
export interface ConfigWarning {
  readonly key: string;
  readonly message: string;
}

const LOOPBACK = /^(?:127\.|::1$|localhost$)/;

export function configWarnings(config: Config): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const trust = config.http.trust_proxy;
  if (trust.mode === "all") {
    warnings.push({
      key: "http.trust_proxy",
      message:
        "true trusts every X-Forwarded-For entry, so each client chooses the address the per-address limits count and can bypass them; set the number of proxies in front of Porter (e.g. 1) or their addresses instead",
    });
  } else if (trust.mode === "hops" && !LOOPBACK.test(config.http.listen.host)) {
    warnings.push({
      key: "http.trust_proxy",
      message: `a number of proxies is safe only if clients cannot reach ${formatListen(config.http.listen)} (http.listen) without passing through them; otherwise name the proxies' addresses instead`,
    });
  }
  return warnings;
}

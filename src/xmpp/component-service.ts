import type { Config } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../metrics/metrics.js";
import { ComponentConnection, type ConnectionTiming } from "./connection.js";
import { Disco } from "./disco.js";
import { registerPing } from "./ping.js";
import { IqRouter } from "./router.js";
import { registerSoftwareVersion } from "./software-version.js";

export interface XmppService {
  readonly connection: ComponentConnection;
  readonly router: IqRouter;
  readonly disco: Disco;
}

/** Porter's XMPP side: the stream, the IQ router and the basic services every entity answers. */
export function buildXmppService(options: {
  config: Config;
  log: Logger;
  metrics: Metrics;
  version: string;
  timing?: Partial<ConnectionTiming>;
}): XmppService {
  const { config, log, metrics } = options;
  const connection = new ComponentConnection({
    service: config.xmpp.service,
    domain: config.xmpp.domain,
    secret: config.xmpp.secret,
    host: config.xmpp.host,
    log,
    metrics,
    ...(options.timing === undefined ? {} : { timing: options.timing }),
  });
  const router = new IqRouter(connection.entity, log);
  // https://xmpp.org/registrar/disco-categories.html#component
  const disco = new Disco({ category: "component", type: "generic", name: "Porter" });
  disco.register(router);
  registerPing(router, disco);
  registerSoftwareVersion(router, disco, options.version);
  return { connection, router, disco };
}

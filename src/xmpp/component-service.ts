import type { Access } from "../access/access.js";
import type { Config } from "../config/schema.js";
import type { AccountGateway } from "../accounts/account-gateway.js";
import { InBandPolicy, redirectOf } from "../accounts/in-band-policy.js";
import type { AppRedemption } from "../invites/app-redemption.js";
import { CheckedInvites } from "../invites/checked-invites.js";
import type { InviteService } from "../invites/invite-service.js";
import { RateLimiter } from "../limits/rate-limiter.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../metrics/metrics.js";
import type { ClientRegistry } from "../oauth2/client-registry.js";
import { Adhoc } from "./adhoc/adhoc.js";
import type { SessionLimits } from "./adhoc/sessions.js";
import { AdminCommandGateway } from "./admin-commands.js";
import { inviteCommands, oauth2Commands } from "./commands/index.js";
import { ComponentConnection, type ConnectionTiming } from "./connection.js";
import { Disco } from "./disco.js";
import { registerBridge } from "./bridge.js";
import { NS } from "./namespaces.js";
import { registerPing } from "./ping.js";
import { stanzaErrors } from "./error-map.js";
import { RequesterLanguages } from "./languages.js";
import { sendRedemptionNotices } from "./redemption-notices.js";
import { registerInBandRegistration } from "./register.js";
import { ServerModuleWatch } from "./server-module.js";
import { IqRouter } from "./router.js";
import { registerSoftwareVersion } from "./software-version.js";
import { XmppWords } from "./words/index.js";

export interface XmppService {
  readonly connection: ComponentConnection;
  /** Accounts on the served host, through the server's admin commands. */
  readonly accounts: AccountGateway;
  readonly router: IqRouter;
  readonly disco: Disco;
  /** Whether Porter's module runs inside the server. */
  readonly serverModule: ServerModuleWatch;
  /** Answers Porter's server module with this redemption service (docs/bridge.md). */
  enableBridge(redemption: AppRedemption): void;
}

/** Porter's XMPP side: the stream, the IQ router, the basic services and the ad-hoc commands. */
export function buildXmppService(options: {
  config: Config;
  log: Logger;
  metrics: Metrics;
  version: string;
  access: Access;
  invites: InviteService;
  /** Absent or null when OAuth2 client registration is not configured. */
  oauth2?: ClientRegistry | null;
  timing?: Partial<ConnectionTiming>;
  adhocSessionTtlMs?: number;
  adhocSessionLimits?: SessionLimits;
  /** The clock of ad-hoc sessions, in milliseconds; the real one unless a test moves it. */
  adhocNow?: () => number;
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
  const languages = new RequesterLanguages();
  const words = new XmppWords(config.pages.default_language);
  const mapError = stanzaErrors(words);
  const router = new IqRouter(connection.entity, log, languages);
  // https://xmpp.org/registrar/disco-categories.html#component
  const disco = new Disco({ category: "component", type: "generic", name: "Porter" });
  disco.register(router);
  registerPing(router, disco);
  registerSoftwareVersion(router, disco, options.version);
  const accounts = new AdminCommandGateway(connection, { host: config.xmpp.host, domain: config.xmpp.domain }, log.child({ subsystem: "accounts" }));
  new Adhoc({
    commands: [
      ...inviteCommands(options.invites, new CheckedInvites(options.invites, accounts, config.xmpp.host), config.xmpp.host),
      ...oauth2Commands(options.oauth2 ?? null),
    ],
    access: options.access,
    mapError,
    metrics,
    jid: config.xmpp.domain,
    ...(options.adhocSessionTtlMs === undefined ? {} : { sessionTtlMs: options.adhocSessionTtlMs }),
    ...(options.adhocSessionLimits === undefined ? {} : { sessionLimits: options.adhocSessionLimits }),
    ...(options.adhocNow === undefined ? {} : { now: options.adhocNow }),
  }).register(router, disco);
  if (config.invites.notify_creator) sendRedemptionNotices(options.invites, connection, { host: config.xmpp.host, domain: config.xmpp.domain }, { words, languages }, log);
  registerInBandRegistration(router, disco, {
    policy: new InBandPolicy(config.register_redirect),
    accounts,
    redirect: redirectOf(config),
    oob: config.register_redirect.oob,
    host: config.xmpp.host,
    isReserved: (username) => options.invites.isReserved(username),
    limiter: new RateLimiter(config.http.form_limit, config.http.form_limit_window * 1000),
    words,
  });
  const serverModule = new ServerModuleWatch(connection, { host: config.xmpp.host, domain: config.xmpp.domain }, log.child({ subsystem: "server-module" }));
  connection.onOnline(() => {
    void serverModule.check();
  });
  const enableBridge = (redemption: AppRedemption): void => {
    registerBridge(router, {
      host: config.xmpp.host,
      redemption,
      commands: (requester) => disco.itemsOf(NS.commands, requester) ?? [],
      mapError,
    });
  };
  return { connection, router, disco, accounts, serverModule, enableBridge };
}

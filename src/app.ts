import type { FastifyInstance } from "fastify";

import type { Config } from "./config/schema.js";
import { configWarnings } from "./config/warnings.js";
import { CsrfTokens } from "./http/csrf.js";
import { configuredApp, DEFAULT_APPS } from "./http/pages/apps.js";
import { brandFrom } from "./http/pages/brand.js";
import { loadPageWords } from "./http/pages/locale-files.js";
import type { PageWords } from "./http/pages/words.js";
import { ClientLimiter } from "./http/rate-limit.js";
import { registerInvitePages } from "./http/routes/invite-pages.js";
import { registerLogoRoute } from "./http/routes/logo.js";
import { registerRegisterPage } from "./http/routes/register-page.js";
import { registerStartPage } from "./http/routes/start-page.js";
import { OpenRegistration } from "./accounts/open-registration.js";
import { buildHttpServer } from "./http/server.js";
import { AppRedemption } from "./invites/app-redemption.js";
import { RedemptionService } from "./invites/redemption.js";
import { RedemptionRecovery } from "./invites/redemption-recovery.js";
import { UseLedger } from "./invites/use-ledger.js";
import { ModulePairing } from "./xmpp/module-pairing.js";
import { RosterPairing } from "./xmpp/roster-pairing.js";
import { registerHealthRoute, registerMetricsRoute } from "./http/routes/health.js";
import { registerOAuth2Routes } from "./http/routes/oauth2.js";
import type { ClientRegistry } from "./oauth2/client-registry.js";
import { clientRegistryFrom } from "./oauth2/registry-from-config.js";
import type { Logger } from "./log/logger.js";
import { Metrics } from "./metrics/metrics.js";
import { type Access, accessFrom } from "./access/access.js";
import { InviteService } from "./invites/invite-service.js";
import { invitePolicyFrom } from "./invites/invite-policy.js";
import { BackgroundCheckpoints } from "./store/checkpoints.js";
import { type Db, openDatabase } from "./store/database.js";
import { SqliteRevokedClients } from "./store/revoked-client-store.js";
import { DatabaseProbe } from "./store/health-probe.js";
import { SqliteInviteStore } from "./store/invite-store.js";
import { VERSION } from "./version.js";
import { ControlServer } from "./control/control-server.js";
import { controlSocketPath } from "./control/socket-path.js";

import type { AccountGateway } from "./accounts/account-gateway.js";
import { InBandPolicy, redirectOf } from "./accounts/in-band-policy.js";
import { CheckedInvites } from "./invites/checked-invites.js";
import { RateLimiter } from "./limits/rate-limiter.js";
import { Adhoc } from "./xmpp/adhoc/adhoc.js";
import type { SessionLimits } from "./xmpp/adhoc/sessions.js";
import { AdminCommandGateway } from "./xmpp/admin-commands.js";
import { registerBridge } from "./xmpp/bridge.js";
import { inviteCommands, oauth2Commands } from "./xmpp/commands/index.js";
import { ComponentConnection, type ConnectionTiming } from "./xmpp/connection.js";
import { Disco } from "./xmpp/disco.js";
import { type ErrorMapper, stanzaErrors } from "./xmpp/error-map.js";
import { RequesterLanguages } from "./xmpp/languages.js";
import { NS } from "./xmpp/namespaces.js";
import { registerPing } from "./xmpp/ping.js";
import { sendRedemptionNotices } from "./xmpp/redemption-notices.js";
import { registerInBandRegistration } from "./xmpp/register.js";
import { IqRouter } from "./xmpp/router.js";
import { ServerModuleWatch } from "./xmpp/server-module.js";
import { registerSoftwareVersion } from "./xmpp/software-version.js";
import { XmppWords } from "./xmpp/words/index.js";
export interface AppOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly xmppTiming?: Partial<ConnectionTiming>;
}

/** Porter's XMPP side as composeXmpp builds it. */
export interface XmppService {
  readonly connection: ComponentConnection;
  /** Accounts on the served host, through the server's admin commands. */
  readonly accounts: AccountGateway;
  readonly router: IqRouter;
  readonly disco: Disco;
  /** Whether Porter's module runs inside the server. */
  readonly serverModule: ServerModuleWatch;
  /** Turns refusals of the domain into stanza errors in the requester's language. */
  readonly mapError: ErrorMapper;
}

export interface XmppOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly version: string;
  readonly access: Access;
  readonly invites: InviteService;
  /** Absent or null when OAuth2 client registration is not configured. */
  readonly oauth2?: ClientRegistry | null;
  readonly timing?: Partial<ConnectionTiming>;
  readonly adhocSessionTtlMs?: number;
  readonly adhocSessionLimits?: SessionLimits;
  /** The clock of ad-hoc sessions, in milliseconds; the real one unless a test moves it. */
  readonly adhocNow?: () => number;
}

/** How long shutdown waits for running XMPP handlers before closing the stream. */
const DRAIN_TIMEOUT_MS = 2_000;
/** Expired invites are removed this often (and once at start). */
const PURGE_INTERVAL_MS = 60 * 60_000;
/**
 * Interrupted redemptions are settled when the stream comes online and this
 * often, for answers lost without the stream going down (a timeout); whether
 * Porter's server module is loaded is checked as often.
 */
const RECOVERY_INTERVAL_MS = 60_000;

/**
 * Porter's XMPP side: the stream, the IQ router with the basic services, the
 * ad-hoc commands and in-band registration. The App adds the bridge once the
 * redemption it answers with exists; tests drive this part alone.
 */
export function composeXmpp(options: XmppOptions): XmppService {
  const { config, log, metrics, invites } = options;
  const addresses = { host: config.xmpp.host, domain: config.xmpp.domain };
  const connection = new ComponentConnection({
    service: config.xmpp.service,
    ...addresses,
    secret: config.xmpp.secret,
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
  const accounts = new AdminCommandGateway(connection, addresses, log.child({ subsystem: "accounts" }));
  adhocCommands(options, accounts, mapError).register(router, disco);
  if (config.invites.notify_creator) sendRedemptionNotices(invites, connection, addresses, { words, languages }, log);
  registerInBandRegistration(router, disco, {
    policy: new InBandPolicy(config.register_redirect),
    accounts,
    redirect: redirectOf(config),
    oob: config.register_redirect.oob,
    host: config.xmpp.host,
    isReserved: (username) => invites.isReserved(username),
    limiter: new RateLimiter(config.http.form_limit, config.http.form_limit_window * 1000),
    words,
  });
  const serverModule = new ServerModuleWatch(connection, addresses, log.child({ subsystem: "server-module" }));
  connection.onOnline(() => {
    void serverModule.check();
  });
  return { connection, router, disco, accounts, serverModule, mapError };
}

function adhocCommands(options: XmppOptions, accounts: AccountGateway, mapError: ErrorMapper): Adhoc {
  const { config, invites } = options;
  return new Adhoc({
    commands: [
      ...inviteCommands(invites, new CheckedInvites(invites, accounts, config.xmpp.host), config.xmpp.host),
      ...oauth2Commands(options.oauth2 ?? null),
    ],
    access: options.access,
    mapError,
    metrics: options.metrics,
    jid: config.xmpp.domain,
    ...(options.adhocSessionTtlMs === undefined ? {} : { sessionTtlMs: options.adhocSessionTtlMs }),
    ...(options.adhocSessionLimits === undefined ? {} : { sessionLimits: options.adhocSessionLimits }),
    ...(options.adhocNow === undefined ? {} : { now: options.adhocNow }),
  });
}

/** What redeeming needs, shared by the web pages, the bridge and recovery. */
interface Redemption {
  readonly ledger: UseLedger;
  readonly contacts: ModulePairing;
}

/**
 * The composition root: config -> database -> XMPP and HTTP edges. Every
 * object of the daemon is built here or in composeXmpp. Building opens the
 * database (so a broken file stops the start early); start() listens and
 * connects; stop() undoes both in the order that loses no work.
 */
export class App {
  readonly db: Db;
  readonly metrics = new Metrics();
  readonly xmpp: XmppService;
  readonly http: FastifyInstance;
  readonly invites: InviteService;
  /** null when OAuth2 client registration is not configured (its endpoints then answer 404). */
  readonly oauth2: ClientRegistry | null;
  readonly recovery: RedemptionRecovery;
  private readonly apps: AppRedemption;
  /** null with an in-memory database, which no command line can share. */
  private readonly control: ControlServer | null;
  /** null with an in-memory database, which has no WAL. */
  private readonly checkpoints: BackgroundCheckpoints | null;
  private readonly log: Logger;
  private purgeTimer: NodeJS.Timeout | undefined;
  private recoveryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AppOptions) {
    const { config, log } = options;
    this.log = log;
    // Before anything is opened: a broken language file stops the start as a config problem.
    // The site is named after the host it serves unless the operator names it.
    const words = loadPageWords(config.pages, brandFrom(config.pages, config.xmpp.host));
    this.db = openDatabase(config.database.path);
    this.checkpoints = this.db.memory ? null : new BackgroundCheckpoints(this.db, log.child({ subsystem: "store" }));
    const access = accessFrom(config);
    this.invites = new InviteService(new SqliteInviteStore(this.db), access, invitePolicyFrom(config));
    this.oauth2 = clientRegistryFrom(config, () => new SqliteRevokedClients(this.db));
    this.xmpp = composeXmpp({
      access,
      invites: this.invites,
      oauth2: this.oauth2,
      config,
      log: log.child({ subsystem: "xmpp" }),
      metrics: this.metrics,
      version: VERSION,
      ...(options.xmppTiming === undefined ? {} : { timing: options.xmppTiming }),
    });
    for (const warning of configWarnings(config)) log.warn({ key: warning.key }, `${warning.key}: ${warning.message}`);
    const socketPath = controlSocketPath(config.database.path);
    this.control = socketPath === null ? null : new ControlServer(socketPath, this.xmpp.accounts, log.child({ subsystem: "control" }));
    const redemption = this.redemption();
    this.recovery = new RedemptionRecovery(
      redemption.ledger,
      this.xmpp.accounts,
      redemption.contacts,
      config.xmpp.host,
      log.child({ subsystem: "redemption" }),
    );
    // Whatever a lost stream or a killed Porter left held is settled as soon as the server can tell.
    this.xmpp.connection.onOnline(() => {
      void this.recover();
    });
    this.apps = new AppRedemption(this.invites, redemption.ledger, redemption.contacts, config.xmpp.host, log.child({ subsystem: "apps" }));
    registerBridge(this.xmpp.router, {
      host: config.xmpp.host,
      redemption: this.apps,
      commands: (requester) => this.xmpp.disco.itemsOf(NS.commands, requester) ?? [],
      mapError: this.xmpp.mapError,
    });
    this.http = buildHttpServer({
      log: log.child({ subsystem: "http" }),
      words,
      metrics: this.metrics,
      trustProxy: config.http.trust_proxy,
      hsts: config.http.public_url.startsWith("https:"),
    });
    this.registerPages(words, redemption);
    this.registerServiceRoutes();
  }

  /** Listens on http.listen, then starts connecting to the XMPP server. Returns the HTTP address. */
  async start(): Promise<string> {
    const { host, port } = this.options.config.http.listen;
    const address = await this.http.listen({ host, port });
    this.log.info({ address, version: VERSION }, "http server listening");
    await this.control?.start();
    this.xmpp.connection.start();
    this.purge();
    this.purgeTimer = setInterval(() => {
      this.purge();
    }, PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
    this.recoveryTimer = setInterval(() => {
      void this.recover();
      void this.xmpp.serverModule.check();
    }, RECOVERY_INTERVAL_MS);
    this.recoveryTimer.unref();
    return address;
  }

  /** Stops taking requests, lets running ones finish, closes the stream and the database. */
  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    clearInterval(this.recoveryTimer);
    await this.control?.close();
    await this.http.close();
    await this.xmpp.router.drain(DRAIN_TIMEOUT_MS);
    this.apps.close();
    await this.xmpp.connection.stop();
    await this.checkpoints?.close();
    if (this.db.open) this.db.close();
  }

  private redemption(): Redemption {
    const { config, log } = this.options;
    const contactsLog = log.child({ subsystem: "contacts" });
    const addresses = { host: config.xmpp.host, domain: config.xmpp.domain };
    const contacts = new ModulePairing(
      this.xmpp.connection,
      addresses,
      this.xmpp.serverModule,
      new RosterPairing(this.xmpp.connection, config.xmpp.domain, contactsLog),
      contactsLog,
    );
    return { ledger: new UseLedger(this.invites, log.child({ subsystem: "redemption" })), contacts };
  }

  /** The invite, register and start pages, with one limit per client address across every form. */
  private registerPages(words: PageWords, redemption: Redemption): void {
    const { config } = this.options;
    const accounts = this.xmpp.accounts;
    const forms = {
      csrf: new CsrfTokens(),
      limiter: new ClientLimiter(config.http.form_limit, config.http.form_limit_window * 1000),
      host: config.xmpp.host,
      publicUrl: config.http.public_url,
      apps: config.pages.apps?.map(configuredApp) ?? DEFAULT_APPS,
      words,
    };
    registerInvitePages(this.http, {
      ...forms,
      redemption: new RedemptionService(this.invites, redemption.ledger, accounts, redemption.contacts, config.xmpp.host),
      serverModule: () => this.xmpp.serverModule.isPresent,
    });
    registerRegisterPage(this.http, {
      ...forms,
      registration: config.invites.registration_invite_only
        ? null
        : new OpenRegistration(accounts, config.xmpp.host, (username) => this.invites.isReserved(username)),
    });
    registerStartPage(this.http, { host: config.xmpp.host, words, registrationOpen: !config.invites.registration_invite_only });
    if (config.pages.logo !== null) registerLogoRoute(this.http, config.pages.logo);
  }

  /** OAuth2 client registration (when configured), health and metrics. */
  private registerServiceRoutes(): void {
    const { config, log } = this.options;
    if (this.oauth2 !== null) {
      registerOAuth2Routes(this.http, {
        registry: this.oauth2,
        publicUrl: config.http.public_url,
        initialAccessToken: config.oauth2.initial_access_token,
        limiter: new ClientLimiter(config.oauth2.registration_limit, config.oauth2.registration_limit_window * 1000),
      });
    }
    const database = new DatabaseProbe(this.db, { log: log.child({ subsystem: "database" }) });
    registerHealthRoute(this.http, {
      xmppOnline: () => this.xmpp.connection.isOnline,
      databaseHealthy: () => database.healthy(),
      version: VERSION,
    });
    registerMetricsRoute(this.http, this.metrics);
  }

  private async recover(): Promise<void> {
    try {
      await this.recovery.run();
    } catch (err) {
      this.log.error({ err }, "settling interrupted redemptions failed; retrying later");
    }
  }

  private purge(): void {
    try {
      const removed = this.invites.purgeExpired();
      if (removed > 0) this.log.info({ removed }, "removed expired invites");
    } catch (err) {
      this.log.error({ err }, "removing expired invites failed");
    }
  }
}

import type { FastifyInstance } from "fastify";

import type { Config } from "./config/schema.js";
import { configWarnings } from "./config/warnings.js";
import { CsrfTokens } from "./http/csrf.js";
import { configuredApp, DEFAULT_APPS } from "./http/pages/apps.js";
import { brandFrom } from "./http/pages/brand.js";
import { loadPageWords } from "./http/pages/locale-files.js";
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
import { accessFrom } from "./access/access.js";
import { InviteService } from "./invites/invite-service.js";
import { invitePolicyFrom } from "./invites/invite-policy.js";
import { type Db, openDatabase } from "./store/database.js";
import { SqliteRevokedClients } from "./store/revoked-client-store.js";
import { DatabaseProbe } from "./store/health-probe.js";
import { SqliteInviteStore } from "./store/invite-store.js";
import type { ConnectionTiming } from "./xmpp/connection.js";
import { buildXmppService, type XmppService } from "./xmpp/component-service.js";
import { VERSION } from "./version.js";
import { ControlServer } from "./control/control-server.js";
import { controlSocketPath } from "./control/socket-path.js";

export interface AppOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly xmppTiming?: Partial<ConnectionTiming>;
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
 * The composition root: config -> database -> XMPP and HTTP edges. Building
 * opens the database (so a broken file stops the start early); start() listens
 * and connects; stop() undoes both in the order that loses no work.
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
    const access = accessFrom(config);
    this.invites = new InviteService(new SqliteInviteStore(this.db), access, invitePolicyFrom(config));
    this.oauth2 = clientRegistryFrom(config, () => new SqliteRevokedClients(this.db));
    this.xmpp = buildXmppService({
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
    this.http = buildHttpServer({
      log: log.child({ subsystem: "http" }),
      words,
      metrics: this.metrics,
      trustProxy: config.http.trust_proxy,
      hsts: config.http.public_url.startsWith("https:"),
    });
    const accounts = this.xmpp.accounts;
    const socketPath = controlSocketPath(config.database.path);
    this.control = socketPath === null ? null : new ControlServer(socketPath, accounts, log.child({ subsystem: "control" }));
    // One limit per client address across every form.
    const forms = {
      csrf: new CsrfTokens(),
      limiter: new ClientLimiter(config.http.form_limit, config.http.form_limit_window * 1000),
      host: config.xmpp.host,
      publicUrl: config.http.public_url,
      apps: config.pages.apps?.map(configuredApp) ?? DEFAULT_APPS,
      words,
    };
    const contactsLog = log.child({ subsystem: "contacts" });
    const addresses = { host: config.xmpp.host, domain: config.xmpp.domain };
    const contacts = new ModulePairing(
      this.xmpp.connection,
      addresses,
      this.xmpp.serverModule,
      new RosterPairing(this.xmpp.connection, config.xmpp.domain, contactsLog),
      contactsLog,
    );
    const redemptionLog = log.child({ subsystem: "redemption" });
    const ledger = new UseLedger(this.invites, redemptionLog);
    this.recovery = new RedemptionRecovery(ledger, accounts, contacts, config.xmpp.host, redemptionLog);
    // Whatever a lost stream or a killed Porter left held is settled as soon as the server can tell.
    this.xmpp.connection.onOnline(() => {
      void this.recover();
    });
    this.apps = new AppRedemption(this.invites, ledger, contacts, config.xmpp.host, log.child({ subsystem: "apps" }));
    this.xmpp.enableBridge(this.apps);
    registerInvitePages(this.http, {
      ...forms,
      redemption: new RedemptionService(this.invites, ledger, accounts, contacts, config.xmpp.host),
      serverModule: () => this.xmpp.serverModule.isPresent,
    });
    registerRegisterPage(this.http, {
      ...forms,
      registration: config.invites.registration_invite_only ? null : new OpenRegistration(accounts, config.xmpp.host, (username) => this.invites.isReserved(username)),
    });
    registerStartPage(this.http, { host: config.xmpp.host, words, registrationOpen: !config.invites.registration_invite_only });
    if (config.pages.logo !== null) registerLogoRoute(this.http, config.pages.logo);
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
    if (this.db.open) this.db.close();
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

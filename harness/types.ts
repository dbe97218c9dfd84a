export type ServerKind = "prosody" | "ejabberd";

/**
 * Which Debian release's server package runs: debian12 is this machine's own
 * (Prosody 0.12, ejabberd 23.01), debian13 runs in a cached chroot of Debian 13
 * (Prosody 13, ejabberd 24.12; harness/debian13.ts).
 */
export type Release = "debian12" | "debian13";

/** Where one test instance runs: what a configuration file written for it must use. */
export interface InstanceSettings {
  readonly c2sPort: number;
  readonly componentPort: number;
  /** The instance's own folder, for its data, logs and pid file. */
  readonly dir: string;
}

export interface ServerOptions {
  /** Default "debian12". */
  readonly release?: Release;
  /**
   * Folders besides `dir` that the server must read (a plugin path, a built
   * module): a Debian 13 server sees them at the same absolute path inside its
   * chroot. A Debian 12 server sees every path anyway.
   */
  readonly bindPaths?: readonly string[];
  /** The XMPP host served; default "localhost". */
  readonly host?: string;
  /** The component's domain; default "invite.localhost". */
  readonly componentDomain?: string;
  /** Default: random hex. */
  readonly componentSecret?: string;
  /** Bare JIDs that are server administrators. */
  readonly admins?: readonly string[];
  /** Accounts registered once the server is up. */
  readonly users?: readonly { readonly username: string; readonly password: string }[];
  /** Let the component run XEP-0133 admin commands on the host (default true). */
  readonly grantComponentAdmin?: boolean;
  /**
   * Grant the component XEP-0356 roster (both) and outgoing message privileges.
   * Default true, except on ejabberd 24.12, whose mod_privilege then drops the
   * admin commands the component sends (harness/ejabberd.ts says why).
   */
  readonly grantComponentRoster?: boolean;
  /**
   * Load Porter's own module from this checkout's server-modules/ (apps redeem
   * invites through it); the server's in-band registration is then on, for
   * invites only unless `openRegistration`.
   */
  readonly porterModule?: { readonly openRegistration?: boolean };
  /** Close the server's own in-band registration and point it at this URL. */
  readonly registerRedirectUrl?: string;
  /** State folder to use and keep; default a fresh temporary folder removed by destroy(). */
  readonly dir?: string;
  readonly c2sPort?: number;
  readonly componentPort?: number;
  /** More hosts served besides `host`, for users of another domain. */
  readonly extraHosts?: readonly string[];
  /** Prosody only: more modules on the VirtualHost, e.g. Prosody's own invites_adhoc to compare with. */
  readonly prosodyHostModules?: readonly string[];
  /** Prosody only: options of the VirtualHost, for those modules (a string is written as a Lua string). */
  readonly prosodyHostOptions?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Prosody only: more components beside Porter's, each with its own domain and
   * secret (the benchmarks attach a do-nothing component as the floor).
   */
  readonly prosodyComponents?: readonly { readonly domain: string; readonly secret: string }[];
  /** Prosody only: serve its HTTP modules (e.g. mod_http_oauth2) on this loopback port; default none. */
  readonly prosodyHttpPort?: number;
  /**
   * The server's configuration file in place of the generated one (the grant
   * options above then do nothing): for testing configurations written for
   * operators, moved onto this instance's ports and folder.
   */
  readonly configFile?: (instance: InstanceSettings) => string;
}

export interface XmppServer {
  readonly kind: ServerKind;
  readonly release: Release;
  /** The installed server and its upstream version, e.g. "Prosody 13.0.1", "ejabberd 23.01". */
  readonly version: string;
  readonly host: string;
  readonly componentDomain: string;
  readonly componentSecret: string;
  readonly c2sPort: number;
  readonly componentPort: number;
  /** xmpp://127.0.0.1:<componentPort>, as Porter's xmpp.service. */
  readonly componentService: string;
  readonly dir: string;
  /** Registers an account on `host` (default: the main host). */
  register(username: string, password: string, host?: string): Promise<void>;
  /** Stops the server, keeping its state; resolves once its ports are closed. */
  stop(): Promise<void>;
  /** Starts it again with the same config; resolves once c2s and component ports accept connections. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /**
   * Sends a signal to the server's processes, for fault tests: SIGSTOP freezes
   * it (its sockets stay open, nothing is answered), SIGCONT thaws it, SIGKILL
   * crashes it; start() then brings it back on the same state.
   */
  signal(signal: "SIGSTOP" | "SIGCONT" | "SIGKILL"): Promise<void>;
  logTail(lines?: number): Promise<string>;
  /** Stops the server and removes a temporary state folder; safe to call twice. */
  destroy(): Promise<void>;
}

import { component, type Component } from "@xmpp/component";
import xml, { type Element } from "@xmpp/xml";

import type { Logger } from "../log/logger.js";
import type { Metrics } from "../metrics/metrics.js";
import { backoffDelay, REFUSED_BACKOFF, TRANSIENT_BACKOFF } from "./backoff.js";
import { NS } from "./namespaces.js";
import { StanzaPacer } from "./stanza-pacer.js";

export interface ConnectionOptions {
  /** xmpp://host:port of the server's component listener. */
  readonly service: string;
  /** Porter's own JID. */
  readonly domain: string;
  readonly secret: string;
  /** The served host, which answers keepalive pings. */
  readonly host: string;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly timing?: Partial<ConnectionTiming>;
}

export interface ConnectionTiming {
  /** How long one attempt (TCP, stream header, handshake) may take before it is abandoned. */
  readonly attemptTimeoutMs: number;
  /** Idle time between keepalive pings to the server while online. */
  readonly keepaliveIntervalMs: number;
  /** No answer to a keepalive ping within this time means the stream is dead. */
  readonly keepaliveTimeoutMs: number;
  /** How long stop() waits for the server to close the stream. */
  readonly closeTimeoutMs: number;
}

const DEFAULT_TIMING: ConnectionTiming = {
  attemptTimeoutMs: 10_000,
  keepaliveIntervalMs: 60_000,
  keepaliveTimeoutMs: 20_000,
  closeTimeoutMs: 2_000,
};

/**
 * Stanzas handled per turn of the event loop (see StanzaPacer). In the
 * "New Invite" benchmark, where one read brought up to 17 commands, slices
 * of 4 and 8 did about as well, and slices of 1 (each command committed
 * alone) and of the whole read worse (docs/benchmarks.md, seventh round).
 */
const STANZAS_PER_TURN = 8;

// Stream errors that mean "the server will not accept this component as configured".
const REFUSALS: Readonly<Record<string, string>> = {
  "not-authorized":
    "the server refused the handshake: xmpp.secret must equal the component secret on the server (Prosody: component_secret; ejabberd: the password under the ejabberd_service listener's hosts), and ejabberd also says this when xmpp.domain is not listed there",
  conflict:
    "another connection already serves this component domain (a second Porter, or the previous one not yet timed out), or the domain is one of the server's own hosts",
  "host-unknown": "the server has no component configured for xmpp.domain",
  "invalid-namespace": "xmpp.service does not point to a component (XEP-0114) listener",
  "policy-violation": "the server's policy refused the component stream",
};

interface StreamErrorLike {
  readonly name: "StreamError";
  readonly condition: string;
  readonly text?: string;
}

function isStreamError(err: unknown): err is StreamErrorLike {
  return err instanceof Error && err.name === "StreamError" && typeof (err as Partial<StreamErrorLike>).condition === "string";
}

function isStanzaErrorReply(err: unknown): boolean {
  return err instanceof Error && err.name === "StanzaError";
}

/**
 * Porter's component stream (XEP-0114) to the XMPP server. It owns the whole
 * lifecycle: xmpp.js's own reconnect (a fixed one second, forever) is switched
 * off in favour of exponential backoff with jitter; a refusal (wrong secret,
 * another instance) is logged once with what to check and retried slowly; a
 * dead TCP connection is found by keepalive pings. It never throws into the
 * event loop: every failure ends in a log line and a scheduled retry.
 */
export class ComponentConnection {
  readonly entity: Component;
  private readonly timing: ConnectionTiming;
  private readonly log: Logger;
  private stopping = false;
  private online = false;
  private attempts = 0;
  private refusal: string | undefined;
  private lastFailure: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attemptTimer: NodeJS.Timeout | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private readonly onlineWaiters = new Set<() => void>();
  private readonly onlineListeners = new Set<() => void>();
  /** Rejecters of the requests awaiting an answer, failed at once when the stream is lost. */
  private readonly pendingRequests = new Set<(err: Error) => void>();
  private readonly pacer: StanzaPacer<Element>;

  constructor(private readonly options: ConnectionOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.log = options.log;
    this.entity = component({ service: options.service, domain: options.domain, password: options.secret });
    this.entity.reconnect.stop();
    this.guardParser();
    this.pacer = this.paceStanzas();
    this.coalesceWrites();
    this.entity.on("online", () => {
      this.handleOnline();
    });
    this.entity.on("disconnect", () => {
      this.onDisconnect();
    });
    this.entity.on("error", (err: unknown) => {
      this.onError(err);
    });
    this.entity.on("stanza", (stanza: Element) => {
      options.metrics.countStanza("in", stanza.name);
    });
    this.entity.on("send", (element: Element) => {
      if (["iq", "message", "presence"].includes(element.name)) options.metrics.countStanza("out", element.name);
    });
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** Starts connecting; returns at once. Porter serves HTTP while the server is away. */
  start(): void {
    this.stopping = false;
    this.attempt();
  }

  /** Resolves when the stream is (or next becomes) online. */
  waitOnline(): Promise<void> {
    if (this.online) return Promise.resolve();
    return new Promise((resolve) => this.onlineWaiters.add(resolve));
  }

  /** Calls `listener` each time the stream comes online (again). The listener must not throw. */
  onOnline(listener: () => void): void {
    this.onlineListeners.add(listener);
  }

  /** Closes the stream and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimers();
    const closed = this.entity.stop().catch((err: unknown) => {
      this.log.debug({ err }, "closing the component stream failed");
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.timing.closeTimeoutMs)));
    await Promise.race([closed, deadline]);
    clearTimeout(timer);
    this.entity.socket?.destroy();
    this.setOnline(false);
  }

  async send(element: Element): Promise<void> {
    await this.entity.send(element);
  }

  /**
   * Sends an IQ and resolves with the reply (result or error); rejects on
   * timeout, or as soon as the stream is lost (xmpp.js would wait for the
   * timeout although no answer can come on a new stream).
   */
  async request(iq: Element, timeoutMs = 30_000): Promise<Element> {
    let abandon: (err: Error) => void = () => undefined;
    const lost = new Promise<never>((_resolve, reject) => (abandon = reject));
    this.pendingRequests.add(abandon);
    try {
      return await Promise.race([this.entity.iqCaller.request(iq, timeoutMs), lost]);
    } catch (err) {
      // xmpp.js turns error replies into exceptions; callers want the stanza to read it.
      const element = (err as { element?: Element }).element;
      if (isStanzaErrorReply(err) && element !== undefined) {
        return xml("iq", { type: "error", from: iq.attrs.to as string, id: iq.attrs.id as string }, element);
      }
      throw err;
    } finally {
      this.pendingRequests.delete(abandon);
    }
  }

  private attempt(): void {
    this.retryTimer = undefined;
    if (this.stopping) return;
    this.attempts += 1;
    this.refusal = undefined;
    this.attemptTimer = setTimeout(() => {
      this.noteFailure("timeout", `no complete handshake within ${this.timing.attemptTimeoutMs} ms`);
      this.entity.socket?.destroy();
    }, this.timing.attemptTimeoutMs);
    const { service, domain } = this.options;
    this.entity
      .connect(service)
      .then(() => this.entity.open({ domain }))
      .catch((err: unknown) => {
        // Socket errors also arrive as "error" events and are logged there.
        this.log.debug({ err }, "component stream attempt failed");
        if (this.entity.status !== "disconnect" && this.entity.status !== "offline") this.entity.socket?.destroy();
      });
  }

  private handleOnline(): void {
    clearTimeout(this.attemptTimer);
    const after = this.attempts > 1 ? ` after ${this.attempts} attempts` : "";
    this.log.info({ domain: this.options.domain, service: this.options.service }, `component stream online${after}`);
    this.attempts = 0;
    this.lastFailure = undefined;
    this.setOnline(true);
    this.scheduleKeepalive();
    for (const resolve of this.onlineWaiters) resolve();
    this.onlineWaiters.clear();
    for (const listener of this.onlineListeners) listener();
  }

  private onDisconnect(): void {
    clearTimeout(this.attemptTimer);
    clearTimeout(this.keepaliveTimer);
    // Stanzas read but not yet handled came on the lost stream: no answer to them could be sent.
    const unhandled = this.pacer.drop();
    if (this.online && !this.stopping) this.log.warn({ service: this.options.service, unhandled }, "component stream lost; reconnecting");
    this.setOnline(false);
    for (const abandon of this.pendingRequests) abandon(new Error("the stream to the XMPP server closed before the answer came"));
    this.pendingRequests.clear();
    if (this.stopping || this.retryTimer !== undefined) return;
    const policy = this.refusal === undefined ? TRANSIENT_BACKOFF : REFUSED_BACKOFF;
    const delay = backoffDelay(policy, Math.max(this.attempts, 1));
    this.log.debug({ delayMs: delay, attempt: this.attempts + 1 }, "scheduling reconnect");
    this.options.metrics.countReconnect();
    this.retryTimer = setTimeout(() => {
      this.attempt();
    }, delay);
  }

  private onError(err: unknown): void {
    if (this.stopping) {
      this.log.debug({ err }, "component stream error while stopping");
      return;
    }
    if (isStreamError(err)) {
      const hint = REFUSALS[err.condition];
      if (hint !== undefined) this.refusal = err.condition;
      this.noteFailure(`stream:${err.condition}`, hint ?? `stream error ${err.condition}${err.text ? `: ${err.text}` : ""}`, {
        condition: err.condition,
        serverText: err.text,
      });
      return;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && this.refusal !== undefined) {
      // The server closing the socket right after refusing us says nothing new.
      this.log.debug({ err }, "socket error after the server refused the stream");
      return;
    }
    if (code !== undefined) {
      this.noteFailure(`socket:${code}`, `cannot reach the XMPP server at ${this.options.service} (${code})`);
      return;
    }
    this.log.warn({ err }, "component stream error");
  }

  /** Logs a failure once while it repeats, then quietly, so a long outage does not flood the log. */
  private noteFailure(key: string, message: string, fields: Record<string, unknown> = {}): void {
    const level = this.refusal !== undefined ? "error" : "warn";
    if (key === this.lastFailure) {
      this.log.debug({ ...fields, attempt: this.attempts }, message);
      return;
    }
    this.lastFailure = key;
    const retry = this.refusal !== undefined ? "; Porter keeps retrying slowly until the server accepts it" : "; retrying";
    this.log[level]({ ...fields, domain: this.options.domain, attempt: this.attempts }, `${message}${retry}`);
  }

  private scheduleKeepalive(): void {
    clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = setTimeout(() => {
      void this.keepalive();
    }, this.timing.keepaliveIntervalMs);
  }

  // Any answer, even an error, proves the stream is alive; only silence means it is dead
  // (a pulled cable or a frozen server leaves the TCP connection open for hours).
  private async keepalive(): Promise<void> {
    if (!this.online) return;
    const ping = xml("iq", { type: "get", to: this.options.host }, xml("ping", { xmlns: NS.ping }));
    try {
      await this.request(ping, this.timing.keepaliveTimeoutMs);
      this.scheduleKeepalive();
    } catch (err) {
      if (!this.isOnline || this.stopping) return;
      this.log.warn({ err }, "the XMPP server did not answer a keepalive ping; reconnecting");
      this.entity.socket?.destroy();
    }
  }

  // xmpp.js 0.13 writes incoming data to its parser even after a stream error
  // has detached it, which throws inside the socket's data listener and would
  // crash the process (fixed upstream after 0.13). Drop such late data instead.
  private guardParser(): void {
    const entity = this.entity;
    const onData = entity._onData.bind(entity);
    entity._onData = (data: Buffer) => {
      if (entity.parser === null) return;
      try {
        onData(data);
      } catch (err) {
        this.log.error({ err }, "failed to process data from the XMPP server; resetting the stream");
        entity.socket?.destroy();
      }
    };
  }

  // xmpp.js parses 'from' and 'to' before any handler runs and throws on an
  // address that is not a JID, which would reach the socket's data listener and
  // reset the whole stream for one stanza. Servers check addresses, so this is
  // defence in depth: the stanza is dropped (no reply can be addressed to it).
  // Stanzas reach that guard through the pacer, a few per turn of the loop.
  private paceStanzas(): StanzaPacer<Element> {
    const entity = this.entity;
    const onElement = entity._onElement.bind(entity);
    const pacer = new StanzaPacer<Element>((element) => {
      try {
        onElement(element);
      } catch (err) {
        this.log.warn({ stanza: element.name, reason: err instanceof Error ? err.message : String(err) }, "dropped a stanza that could not be processed");
      }
    }, STANZAS_PER_TURN);
    entity._onElement = (element: Element) => {
      pacer.push(element);
    };
    return pacer;
  }

  // Stanzas sent by one callback of the event loop and the promise reactions it
  // sets off leave in one write: a group commit answers several commands at
  // once, and a write per stanza is a system call each. The socket is corked at
  // the first write and uncorked in a tick, which runs once those reactions have
  // run. Not in setImmediate: from the group commit's own immediate that waits a
  // whole turn of the loop, in which the next stanzas from the server are read
  // and handled while the answers wait. Ending the socket uncorks it too.
  private coalesceWrites(): void {
    const entity = this.entity;
    const write = entity.write.bind(entity);
    entity.write = (text: string) => {
      const socket = entity.socket;
      if (socket !== null && socket.writableCorked === 0) {
        socket.cork();
        process.nextTick(() => {
          socket.uncork();
        });
      }
      return write(text);
    };
  }

  private setOnline(online: boolean): void {
    this.online = online;
    this.options.metrics.setStreamUp(online);
  }

  private clearTimers(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.attemptTimer);
    clearTimeout(this.keepaliveTimer);
    this.retryTimer = undefined;
  }
}

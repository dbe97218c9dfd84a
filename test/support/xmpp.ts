import { accessFrom } from "../../src/access/access.js";
import { composeXmpp, type XmppOptions, type XmppService } from "../../src/app.js";
import type { Config } from "../../src/config/schema.js";
import { Metrics } from "../../src/metrics/metrics.js";
import { ComponentConnection } from "../../src/xmpp/connection.js";
import { testInvites } from "./invites.js";
import { capturingLogger } from "./logs.js";

/**
 * Porter's XMPP side as the daemon composes it, for a stream of fed stanzas:
 * the test's config, a logger it may read, and an in-memory invite service
 * unless the test brings its own.
 */
export function testXmpp(config: Config, options: Partial<Omit<XmppOptions, "config">> = {}): XmppService {
  return composeXmpp({
    log: capturingLogger().log,
    metrics: new Metrics(),
    version: "t",
    ...options,
    config,
    access: options.access ?? accessFrom(config),
    invites: options.invites ?? testInvites(config).service,
  });
}

/** A component stream that is never started: a test hands its entity a socket and elements. */
export function unstartedStream(): ComponentConnection {
  return new ComponentConnection({
    service: "xmpp://127.0.0.1:1",
    domain: "invite.example.com",
    secret: "s",
    host: "example.com",
    log: capturingLogger().log,
    metrics: new Metrics(),
  });
}

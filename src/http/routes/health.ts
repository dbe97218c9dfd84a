import type { FastifyInstance } from "fastify";

import type { Metrics } from "../../metrics/metrics.js";

export interface HealthProbe {
  readonly xmppOnline: () => boolean;
  readonly databaseHealthy: () => boolean;
  readonly version: string;
}

/** GET /healthz: 200 while Porter can do its job (stream up, database writable), else 503. */
export function registerHealthRoute(app: FastifyInstance, probe: HealthProbe): void {
  app.get("/healthz", async (_request, reply) => {
    const xmpp = probe.xmppOnline();
    const database = probe.databaseHealthy();
    const healthy = xmpp && database;
    return reply
      .code(healthy ? 200 : 503)
      .header("Cache-Control", "no-store")
      .send({ status: healthy ? "ok" : "unavailable", xmpp: xmpp ? "up" : "down", database: database ? "ok" : "failing", version: probe.version });
  });
}

/** GET /metrics in Prometheus text format. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get("/metrics", async (_request, reply) => {
    const body = await metrics.render();
    return reply.header("Cache-Control", "no-store").type(metrics.contentType).send(body);
  });
}

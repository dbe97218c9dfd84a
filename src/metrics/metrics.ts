import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";

/**
 * Porter's Prometheus metrics. One instance per running Porter (not the
 * library's global registry), so tests can run several side by side.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly streamUp = new Gauge({
    name: "porter_xmpp_stream_up",
    help: "1 while the component stream to the XMPP server is authenticated, else 0",
    registers: [this.registry],
  });
  private readonly reconnects = new Counter({
    name: "porter_xmpp_reconnects_total",
    help: "Reconnect attempts to the XMPP server after the stream went down or was refused",
    registers: [this.registry],
  });
  private readonly stanzas = new Counter({
    name: "porter_xmpp_stanzas_total",
    help: "Stanzas received from and sent to the XMPP server",
    labelNames: ["direction", "kind"] as const,
    registers: [this.registry],
  });
  private readonly commands = new Counter({
    name: "porter_adhoc_commands_total",
    help: "Ad-hoc command actions handled, by command node and outcome",
    labelNames: ["node", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({
    name: "porter_http_requests_total",
    help: "HTTP requests answered, by route pattern, method and status code",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "porter_" });
    this.streamUp.set(0);
  }

  setStreamUp(up: boolean): void {
    this.streamUp.set(up ? 1 : 0);
  }

  countReconnect(): void {
    this.reconnects.inc();
  }

  countStanza(direction: "in" | "out", kind: string): void {
    this.stanzas.inc({ direction, kind });
  }

  countCommand(node: string, outcome: string): void {
    this.commands.inc({ node, outcome });
  }

  countHttpRequest(route: string, method: string, status: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

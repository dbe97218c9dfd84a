/* The parts of @xmpp/client 0.14 the tests use (the package ships no types). */
declare module "@xmpp/client" {
  import type { EventEmitter } from "node:events";

  import type { Element } from "@xmpp/xml";

  export interface Client extends EventEmitter {
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    send(element: Element): Promise<void>;
    readonly iqCaller: { request(stanza: Element, timeout?: number): Promise<Element> };
    readonly reconnect: { stop(): void };
  }

  export function client(options: { service: string; domain: string; username: string; password: string; resource?: string }): Client;
}

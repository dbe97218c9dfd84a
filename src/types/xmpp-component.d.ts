/*
 * A narrow declaration of the parts of @xmpp/component 0.13.1 that Porter uses
 * (the package ships no types). Only src/xmpp/ imports it.
 */
declare module "@xmpp/component" {
  import type { EventEmitter } from "node:events";
  import type { Socket } from "node:net";

  import type { Element } from "@xmpp/xml";

  export type Status = "offline" | "connecting" | "connect" | "opening" | "open" | "online" | "closing" | "close" | "disconnecting" | "disconnect";

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    toString(): string;
  }

  export interface IqContext {
    readonly stanza: Element;
    /** The single child element of the IQ. */
    readonly element: Element;
    readonly from: JID | null;
    readonly to: JID | null;
    readonly id: string;
    readonly type: string;
  }

  /** An element answers with a result carrying it, `true` with an empty result, undefined with service-unavailable. */
  export type IqHandler = (ctx: IqContext) => Promise<Element | true | undefined> | Element | true | undefined;

  export interface IqCallee {
    get(ns: string, name: string, handler: IqHandler): void;
    set(ns: string, name: string, handler: IqHandler): void;
  }

  export interface IqCaller {
    /** Resolves with the result IQ; rejects with a StanzaError-like error or a timeout. */
    request(stanza: Element, timeout?: number): Promise<Element>;
  }

  export interface Reconnect {
    stop(): void;
  }

  export interface Component extends EventEmitter {
    status: Status;
    socket: Socket | null;
    parser: unknown;
    readonly options: { service: string; domain: string };
    readonly iqCallee: IqCallee;
    readonly iqCaller: IqCaller;
    readonly reconnect: Reconnect;
    /** Connects to options.service and authenticates, as the library documents. */
    start(): Promise<void>;
    connect(service: string): Promise<void>;
    open(options: { domain: string }): Promise<void>;
    stop(): Promise<void>;
    send(element: Element): Promise<void>;
    /** Writes serialised XML to the socket; resolves once the socket took it. */
    write(text: string): Promise<void>;
    _onData(data: Buffer): void;
    _onElement(element: Element): void;
  }

  export function component(options: { service: string; domain: string; password: string }): Component;
}

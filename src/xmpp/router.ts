import type { Component, IqContext } from "@xmpp/component";
import type { Element } from "@xmpp/xml";

import { type JidRequester, parseRequester } from "../access/requester.js";
import type { Logger } from "../log/logger.js";
import type { RequesterLanguages } from "./languages.js";
import { StanzaError } from "./stanza-error.js";

export interface IqRequest {
  readonly from: JidRequester;
  readonly id: string;
  /** The IQ's single payload element. */
  readonly payload: Element;
  /** The stanza's xml:lang, when it has one: the language to answer in. */
  readonly lang: string | undefined;
  /** The router's logger: a handler's lines name what they are about themselves. */
  readonly log: Logger;
}

/** Returns the reply's payload, or null for an empty result; throws StanzaError to refuse. */
export type IqHandler = (request: IqRequest) => Promise<Element | null> | Element | null;

/**
 * Registers IQ handlers on xmpp.js's iq callee and makes them safe: a handler's
 * StanzaError becomes the error reply, anything else is logged and answered
 * with internal-server-error without details, so nothing thrown ever reaches
 * xmpp.js (which would answer the same but also report it as a stream error).
 * Unrouted get/set IQs get service-unavailable from the callee itself, and IQs
 * without exactly one payload get bad-request.
 */
export class IqRouter {
  private inFlight = 0;
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly entity: Component,
    private readonly log: Logger,
    private readonly languages?: RequesterLanguages,
  ) {}

  get(ns: string, name: string, handler: IqHandler): void {
    this.entity.iqCallee.get(ns, name, (ctx) => this.dispatch(ctx, handler));
  }

  set(ns: string, name: string, handler: IqHandler): void {
    this.entity.iqCallee.set(ns, name, (ctx) => this.dispatch(ctx, handler));
  }

  /** Resolves when no handler is running, or after timeoutMs. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.add(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  private async dispatch(ctx: IqContext, handler: IqHandler): Promise<Element | true> {
    const requester = toRequester(ctx);
    const summary = {
      iq: ctx.id,
      type: ctx.type,
      from: requester?.bare,
      payload: `{${ctx.element.attrs.xmlns as string}}${ctx.element.name}`,
      node: ctx.element.attrs.node as string | undefined,
    };
    // The summary goes into this method's lines only: a child logger per stanza costs as much as a line.
    if (requester === undefined) return new StanzaError("bad-request", "modify", "missing or malformed 'from'").toElement();
    this.inFlight += 1;
    try {
      const lang = ctx.stanza.attrs["xml:lang"] as string | undefined;
      this.languages?.note(requester.bare, lang);
      const reply = await handler({ from: requester, id: ctx.id, payload: ctx.element, lang, log: this.log });
      this.log.debug({ stanza: summary }, "answered");
      // xmpp.js's callee answers `true` with an empty result.
      return reply ?? true;
    } catch (err) {
      if (err instanceof StanzaError) {
        // A refusal Porter caused (its database failing, say) needs the operator; the requester's mistakes do not.
        if (err.cause === undefined) this.log.debug({ stanza: summary, condition: err.condition }, "refused");
        else this.log.error({ stanza: summary, err: err.cause, condition: err.condition }, `refused: ${err.text ?? err.condition}`);
        return err.toElement();
      }
      this.log.error({ stanza: summary, err }, "handler failed");
      return new StanzaError("internal-server-error", "cancel").toElement();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) {
        for (const resolve of this.idleWaiters) resolve();
        this.idleWaiters.clear();
      }
    }
  }
}

function toRequester(ctx: IqContext): JidRequester | undefined {
  const from = ctx.stanza.attrs.from as string | undefined;
  return from === undefined ? undefined : parseRequester(from);
}

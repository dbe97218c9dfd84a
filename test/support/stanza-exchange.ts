import type { Element } from "@xmpp/xml";

import type { ComponentConnection } from "../../src/xmpp/connection.js";
import { parseXml } from "./xml.js";

interface EntityInternals {
  write(text: string): Promise<void>;
  _onElement(element: Element): void;
}

/**
 * Drives Porter's real XMPP edge without a server: stanzas are fed to the
 * entity as if they came from the stream, and whatever Porter writes is
 * captured and parsed. The xmpp.js idiom of mockInput/promiseSend.
 */
export class StanzaExchange {
  private readonly sent: Element[] = [];
  private readonly waiters: ((element: Element) => void)[] = [];

  constructor(connection: ComponentConnection) {
    const entity = connection.entity as unknown as EntityInternals;
    entity.write = (text: string) => {
      const element = parseXml(text);
      const waiter = this.waiters.shift();
      if (waiter) waiter(element);
      else this.sent.push(element);
      return Promise.resolve();
    };
    this.receive = (text: string) => {
      entity._onElement(parseXml(text));
    };
  }

  readonly receive: (text: string) => void;

  /** The next stanza Porter writes; rejects when nothing comes within timeoutMs. */
  next(timeoutMs = 2000): Promise<Element> {
    const queued = this.sent.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error("Porter sent nothing"));
      }, timeoutMs);
      const waiter = (element: Element) => {
        clearTimeout(timer);
        resolve(element);
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends a stanza and waits for Porter's answer. */
  async exchange(text: string): Promise<Element> {
    const reply = this.next();
    this.receive(text);
    return reply;
  }

  /** True when Porter wrote nothing for waitMs: for stanzas that must not be answered. */
  async silentFor(waitMs: number): Promise<boolean> {
    try {
      await this.next(waitMs);
      return false;
    } catch {
      return true;
    }
  }
}

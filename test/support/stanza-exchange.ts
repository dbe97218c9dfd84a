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
  private pings = 0;

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

  /**
   * The next stanza Porter writes; rejects when nothing comes within timeoutMs,
   * which only ends a test that would hang: silence is shown by writtenBeforePong.
   */
  next(timeoutMs = 30_000): Promise<Element> {
    const queued = this.sent.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`Porter sent nothing within ${timeoutMs} ms`));
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

  /**
   * Pings Porter and returns what it wrote before the pong and until the
   * promise chains then under way ended: an empty list for stanzas that must
   * get no answer, or no second one. Porter reads the stream in order, so
   * what earlier stanzas made it write at once comes before the pong, and
   * what they made it write at the end of a promise chain comes before the
   * event loop's next turn. Only a write behind a timer could come later,
   * and with no server behind this stream Porter arms none. Waiting a while
   * for silence would only show that nothing came soon.
   */
  async writtenBeforePong(from: string, to: string): Promise<Element[]> {
    this.pings += 1;
    const id = `pong-barrier-${this.pings}`;
    this.receive(`<iq type="get" id="${id}" from="${from}" to="${to}"><ping xmlns="urn:xmpp:ping"/></iq>`);
    const before: Element[] = [];
    for (;;) {
      const element = await this.next();
      if (element.name === "iq" && element.attrs.id === id && element.attrs.type === "result") break;
      before.push(element);
    }
    await new Promise((resolve) => setImmediate(resolve));
    return [...before, ...this.sent.splice(0)];
  }
}

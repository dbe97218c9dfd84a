import { client, type Client } from "@xmpp/client";
import xml, { type Element } from "@xmpp/xml";

import type { XmppServer } from "./types.js";

export interface TestClient {
  /** The full JID the server bound. */
  readonly jid: string;
  /** Sends an IQ and resolves with the whole reply stanza, result or error; rejects only on timeout. */
  iq(stanza: Element, timeoutMs?: number): Promise<Element>;
  send(stanza: Element): Promise<void>;
  /** The next message stanza matching the predicate. */
  nextMessage(predicate?: (message: Element) => boolean, timeoutMs?: number): Promise<Element>;
  stop(): Promise<void>;
}

let counter = 0;

/** Logs a real XMPP client in to the server's c2s port (plain TCP, loopback). */
export async function connectClient(
  server: XmppServer,
  username: string,
  password: string,
  options: { readonly resource?: string; readonly host?: string } = {},
): Promise<TestClient> {
  const host = options.host ?? server.host;
  const resource = options.resource ?? "test";
  const entity: Client = client({
    service: `xmpp://127.0.0.1:${server.c2sPort}`,
    domain: host,
    username,
    password,
    resource,
  });
  entity.reconnect.stop();
  const errors: unknown[] = [];
  entity.on("error", (err: unknown) => errors.push(err));
  const pending = new Map<string, (reply: Element) => void>();
  const messages: Element[] = [];
  const messageWaiters = new Set<(message: Element) => boolean>();
  entity.on("stanza", (stanza: Element) => {
    if (stanza.name === "iq" && (stanza.attrs.type === "result" || stanza.attrs.type === "error")) {
      const resolve = pending.get(stanza.attrs.id as string);
      if (resolve !== undefined) {
        pending.delete(stanza.attrs.id as string);
        resolve(stanza);
      }
    } else if (stanza.name === "message") {
      for (const waiter of messageWaiters) if (waiter(stanza)) return;
      messages.push(stanza);
    }
  });
  let jid: string;
  try {
    jid = (await entity.start()).toString();
  } catch (err) {
    const tail = await server.logTail(30);
    throw new Error(`${username}@${host} could not log in to ${server.version}: ${(err as Error).message}; server log tail:\n${tail}`, { cause: err });
  }
  await entity.send(xml("presence"));

  return {
    jid,
    iq(stanza, timeoutMs = 60_000) {
      counter += 1;
      const id = (stanza.attrs.id as string | undefined) ?? `test-${counter}`;
      stanza.attrs.id = id;
      return new Promise<Element>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`no reply to IQ ${id} within ${timeoutMs} ms: ${stanza.toString()}`));
        }, timeoutMs);
        pending.set(id, (reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
        entity.send(stanza).catch((err: unknown) => {
          clearTimeout(timer);
          pending.delete(id);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      });
    },
    send: (stanza) => entity.send(stanza),
    nextMessage(predicate = () => true, timeoutMs = 60_000) {
      const queued = messages.findIndex(predicate);
      if (queued !== -1) return Promise.resolve(messages.splice(queued, 1)[0] as Element);
      return new Promise((resolve, reject) => {
        const waiter = (message: Element) => {
          if (!predicate(message)) return false;
          clearTimeout(timer);
          messageWaiters.delete(waiter);
          resolve(message);
          return true;
        };
        const timer = setTimeout(() => {
          messageWaiters.delete(waiter);
          reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        messageWaiters.add(waiter);
      });
    },
    async stop() {
      await entity.stop();
    },
  };
}

let probes = 0;

/** True when the account logs in with this password; uses its own resource, so no open session of the account is replaced. */
export async function canLogIn(server: XmppServer, username: string, password: string): Promise<boolean> {
  probes += 1;
  try {
    await (await connectClient(server, username, password, { resource: `login-probe-${probes}` })).stop();
    return true;
  } catch {
    return false;
  }
}

import { connect, type Socket } from "node:net";

import xml, { type Element, Parser } from "@xmpp/xml";

import type { XmppServer } from "./types.js";

const TIMEOUT_MS = 60_000;

/**
 * An app's first connection to the server, before it has an account: a raw
 * c2s stream, unencrypted on loopback, with no login. What the server
 * announces (its stream features) and answers is read as elements.
 */
export class AppStream {
  private readonly waiting = new Map<string, (reply: Element) => void>();
  private counter = 0;

  private constructor(
    private readonly socket: Socket,
    readonly features: Element,
  ) {}

  static open(server: XmppServer, host = server.host): Promise<AppStream> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: server.c2sPort });
      const parser = new Parser();
      let stream: AppStream | undefined;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`${server.kind} sent no stream features within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        parser.write(chunk);
      });
      socket.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      parser.on("element", (element: Element) => {
        if (stream === undefined && element.name === "stream:features") {
          clearTimeout(timer);
          stream = new AppStream(socket, element);
          resolve(stream);
        } else if (element.name === "iq") {
          stream?.waiting.get(element.attrs.id as string)?.(element);
        }
      });
      socket.on("connect", () => {
        socket.write(`<?xml version='1.0'?><stream:stream to='${host}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`);
      });
    });
  }

  /** Whether the features announce this element, e.g. ("register", "urn:xmpp:ibr-token:0"). */
  announces(name: string, xmlns: string): boolean {
    return this.features.getChild(name, xmlns) !== undefined;
  }

  /** Sends an IQ and resolves with the reply, result or error. */
  iq(type: "get" | "set", payload: Element, to?: string): Promise<Element> {
    this.counter += 1;
    const id = `app-${this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${payload.toString()} within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(reply);
      });
      this.socket.write(xml("iq", { type, id, ...(to === undefined ? {} : { to }) }, payload).toString());
    });
  }

  /** XEP-0445 §3: presents the invite's token. */
  preauth(token: string, to: string): Promise<Element> {
    return this.iq("set", xml("preauth", { xmlns: "urn:xmpp:pars:0", token }), to);
  }

  /** XEP-0077: asks for the registration fields, as apps do before submitting. */
  registrationFields(): Promise<Element> {
    return this.iq("get", xml("query", { xmlns: "jabber:iq:register" }));
  }

  register(username: string, password: string): Promise<Element> {
    return this.iq("set", xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, username), xml("password", {}, password)));
  }

  close(): void {
    this.socket.end("</stream:stream>");
    this.socket.destroy();
  }
}

/**
 * What an app such as Conversations does with xmpp:host?register;preauth=T:
 * reads the features, presents the token, asks for the fields, registers, all
 * on one stream. Resolves with the pre-auth and registration answers.
 */
export async function registerWithInvite(
  server: XmppServer,
  token: string,
  username: string,
  password: string,
): Promise<{ readonly preauth: Element; readonly registration: Element | undefined }> {
  const stream = await AppStream.open(server);
  try {
    const preauth = await stream.preauth(token, server.host);
    if (preauth.attrs.type !== "result") return { preauth, registration: undefined };
    await stream.registrationFields();
    return { preauth, registration: await stream.register(username, password) };
  } finally {
    stream.close();
  }
}

import { connect } from "node:net";

import xml from "@xmpp/xml";

import type { XmppServer } from "./types.js";

/**
 * What the server answers a client that asks how to register before it has
 * an account: a raw c2s stream (no login), a jabber:iq:register get, and the
 * reply's XML as text.
 */
export function preAuthRegisterQuery(server: XmppServer, timeoutMs = 60_000): Promise<string> {
  return preAuthRegister(server, "get", {}, timeoutMs);
}

/** The same for a client that tries to register right away: a set with these fields. */
export function preAuthRegisterAttempt(server: XmppServer, fields: Readonly<Record<string, string>>, timeoutMs = 60_000): Promise<string> {
  return preAuthRegister(server, "set", fields, timeoutMs);
}

function preAuthRegister(server: XmppServer, type: "get" | "set", fields: Readonly<Record<string, string>>, timeoutMs: number): Promise<string> {
  const request = xml(
    "iq",
    { type, id: "reg1" },
    xml("query", { xmlns: "jabber:iq:register" }, ...Object.entries(fields).map(([name, value]) => xml(name, {}, value))),
  );
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: server.c2sPort });
    let received = "";
    let asked = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no registration answer from ${server.version} within ${timeoutMs} ms; received: ${received}`));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      socket.write(
        `<?xml version='1.0'?><stream:stream to='${server.host}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
      );
    });
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (!asked && received.includes("</stream:features>")) {
        asked = true;
        socket.write(request.toString());
      }
      const reply = /<iq[^>]*id=['"]reg1['"][\s\S]*?<\/iq>/.exec(received)?.[0];
      if (reply !== undefined) {
        clearTimeout(timer);
        socket.end("</stream:stream>");
        resolve(reply);
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

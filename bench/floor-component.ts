/*
 * The floor of the "New Invite" benchmark: an xmpp.js component that answers
 * the same ad-hoc command with a result of the same shape at once (the same
 * elements, labels and descriptions, values of the same lengths; the benchmark
 * checks the shape before it measures), with no storage, no checks and no
 * logging. What Porter takes beyond this is what Porter adds on top of
 * routing and the component library: Prosody's work for the answer itself is
 * in both.
 * Usage: node floor-component.js SERVICE DOMAIN SECRET
 */
import { randomUUID } from "node:crypto";

import { component } from "@xmpp/component";
import xml from "@xmpp/xml";

const [service, domain, password] = process.argv.slice(2);
if (service === undefined || domain === undefined || password === undefined) throw new Error("usage: floor-component.js SERVICE DOMAIN SECRET");

const CMD = "http://jabber.org/protocol/commands";
const TOKEN = "x".repeat(36);
const LINK = `http://127.0.0.1:50000/invite/${TOKEN}`;
const field = (name: string, label: string, value: string, desc?: string) =>
  xml("field", { var: name, type: "text-single", label }, ...(desc === undefined ? [] : [xml("desc", {}, desc)]), xml("value", {}, value));

const entity = component({ service, domain, password });
entity.iqCallee.set(CMD, "command", (ctx) =>
  xml(
    "command",
    { xmlns: CMD, node: ctx.element.attrs.node as string, sessionid: randomUUID(), status: "completed" },
    xml(
      "x",
      { xmlns: "jabber:x:data", type: "result" },
      xml("title", {}, "Your invite has been created"),
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "urn:xmpp:invite#invitation")),
      field("landing-url", "Invite web page", LINK, "Share this link"),
      field("uri", "Invite URI", `xmpp:bench-0-0@localhost?roster;preauth=${TOKEN};ibr=y`, "This alternative link can be opened with some XMPP clients"),
      field("expire", "Invite valid until", "2026-12-09T00:00:00Z"),
    ),
  ),
);
entity.on("error", (err: unknown) => {
  console.error(err);
});
entity.on("online", () => {
  console.log("online");
});
await entity.start();

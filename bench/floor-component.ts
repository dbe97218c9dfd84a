/*
 * The floor of the "New Invite" benchmark: an xmpp.js component that answers
 * the same ad-hoc command with a result of the same shape at once, with no
 * storage, no checks and no logging. What Porter takes beyond this is what
 * Porter adds on top of routing and the component library.
 * Usage: node floor-component.js SERVICE DOMAIN SECRET
 */
import { component } from "@xmpp/component";
import xml from "@xmpp/xml";

const [service, domain, password] = process.argv.slice(2);
if (service === undefined || domain === undefined || password === undefined) throw new Error("usage: floor-component.js SERVICE DOMAIN SECRET");

const CMD = "http://jabber.org/protocol/commands";
const LINK = `https://${domain}/invite/${"x".repeat(43)}`;
const field = (name: string, label: string, value: string) => xml("field", { var: name, type: "text-single", label }, xml("value", {}, value));

const entity = component({ service, domain, password });
entity.iqCallee.set(CMD, "command", (ctx) =>
  xml(
    "command",
    { xmlns: CMD, node: ctx.element.attrs.node as string, sessionid: "floor", status: "completed" },
    xml(
      "x",
      { xmlns: "jabber:x:data", type: "result" },
      xml("title", {}, "Your invite has been created"),
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "urn:xmpp:invite#invitation")),
      field("landing-url", "Invite web page", LINK),
      field("uri", "Invite URI", `xmpp:user@${domain}?roster;preauth=${"x".repeat(43)};ibr=y`),
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

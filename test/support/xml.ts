import { type Element, Parser } from "@xmpp/xml";

/** Parses a fixture into an element, dropping whitespace-only text so indented XML can be used. */
export function parseXml(text: string): Element {
  const parser = new Parser();
  const parsed: { root?: Element; failure?: Error } = {};
  parser.on("start", (el: Element) => (parsed.root = el));
  parser.on("element", (el: Element) => parsed.root?.append(el));
  parser.on("error", (err: Error) => (parsed.failure = err));
  parser.write(text);
  parser.end("");
  if (parsed.failure !== undefined) throw parsed.failure;
  if (parsed.root === undefined) throw new Error("no element in fixture");
  return stripWhitespace(parsed.root);
}

function stripWhitespace(element: Element): Element {
  element.children = element.children.filter((child) => typeof child !== "string" || child.trim() !== "");
  for (const child of element.getChildElements()) stripWhitespace(child);
  return element;
}

/** The condition element name of an error reply, e.g. "service-unavailable". */
export function errorCondition(reply: Element): string | undefined {
  return reply
    .getChild("error")
    ?.getChildElements()
    .find((child) => child.attrs.xmlns === "urn:ietf:params:xml:ns:xmpp-stanzas" && child.name !== "text")?.name;
}

import assert from "node:assert/strict";

import type { Element } from "@xmpp/xml";

import type { ComponentConnection } from "../../src/xmpp/connection.js";

/**
 * Polls until the condition holds. The deadline only bounds a test that would
 * otherwise hang: a busy machine makes the wait longer, never the test red.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`still waiting after ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The promise's value; a failure naming what was awaited if it has not settled after timeoutMs. */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`still waiting after ${timeoutMs} ms for ${what}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The first element the component receives that matches. Called before the
 * connection starts, it also sees what the server sends right on connecting.
 */
export function received(connection: ComponentConnection, matches: (element: Element) => boolean): Promise<Element> {
  return firstOf(connection, "element", matches);
}

/** The first element the component writes that matches, once it is in the socket. */
export function sent(connection: ComponentConnection, matches: (element: Element) => boolean): Promise<Element> {
  return firstOf(connection, "send", matches);
}

function firstOf(connection: ComponentConnection, event: "element" | "send", matches: (element: Element) => boolean): Promise<Element> {
  return new Promise((resolve) => {
    const listener = (element: Element) => {
      if (!matches(element)) return;
      connection.entity.off(event, listener);
      resolve(element);
    };
    connection.entity.on(event, listener);
  });
}

/** ejabberd's mod_privilege announces a grant in a message to the component (XEP-0356). */
export const isPrivilegeAnnouncement = (element: Element): boolean =>
  element.name === "message" && element.getChildren("privilege").some((child) => String(child.attrs.xmlns).startsWith("urn:xmpp:privilege:"));

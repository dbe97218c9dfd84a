import { startEjabberd } from "./ejabberd.js";
import { startProsody } from "./prosody.js";
import type { ServerKind, ServerOptions, XmppServer } from "./types.js";

export type { Release, ServerKind, ServerOptions, XmppServer } from "./types.js";

/** Starts a real, loopback-only XMPP server of the given kind (and `options.release`), ready for Porter. */
export function startServer(kind: ServerKind, options: ServerOptions = {}): Promise<XmppServer> {
  return kind === "prosody" ? startProsody(options) : startEjabberd(options);
}

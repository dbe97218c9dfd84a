import xml, { type Element } from "@xmpp/xml";

import { type JidRequester, parseRequester } from "../access/requester.js";
import type { AppRedemption } from "../invites/app-redemption.js";
import { InviteRefusal } from "../invites/errors.js";
import type { DiscoItem } from "./disco.js";
import type { ErrorMapper } from "./error-map.js";
import { NS } from "./namespaces.js";
import type { IqRequest, IqRouter } from "./router.js";
import { badRequest, forbidden, itemNotFound, StanzaError } from "./stanza-error.js";

// Porter's side of the protocol its server modules speak (docs/bridge.md).

export interface BridgeOptions {
  /** The served host: the only JID the bridge answers. */
  readonly host: string;
  readonly redemption: AppRedemption;
  /** The commands Porter lists to this requester on its own JID. */
  readonly commands: (requester: JidRequester) => readonly DiscoItem[];
  /** Turns refusals of the domain into stanza errors, with Porter's words for them. */
  readonly mapError: ErrorMapper;
}

/**
 * Answers the module inside the server: pre-auth and registration of apps
 * (XEP-0445), contact requests carrying a token (XEP-0379) and the commands
 * to list on the host (XEP-0050 discovery). Only the host itself may ask: a
 * user's stanza carries the user's JID, which the server stamps.
 */
export function registerBridge(router: IqRouter, options: BridgeOptions): void {
  const { redemption } = options;
  const fromServer = (handler: (request: IqRequest) => Promise<Element | null> | Element | null) => async (request: IqRequest) => {
    if (request.from.full !== options.host) throw forbidden("only the server of this host may use this");
    try {
      return await handler(request);
    } catch (err) {
      throw toBridgeError(err, options.mapError(err, request.lang));
    }
  };

  router.set(
    NS.bridge,
    "preauth",
    fromServer(({ payload }) => {
      const { validAt, username } = redemption.preauth(required(payload, "token"));
      return xml("preauth", { xmlns: NS.bridge, "valid-at": String(validAt), ...(username === null ? {} : { username }) });
    }),
  );

  router.set(
    NS.bridge,
    "reserve",
    fromServer(({ payload }) => {
      const validAt = Number(required(payload, "valid-at"));
      if (!Number.isSafeInteger(validAt)) throw badRequest("valid-at must be Unix seconds");
      const id = redemption.reserve(required(payload, "token"), required(payload, "username"), validAt);
      return xml("reserved", { xmlns: NS.bridge, redemption: String(id) });
    }),
  );

  router.set(
    NS.bridge,
    "registered",
    fromServer(async ({ payload }) => {
      const id = Number(required(payload, "redemption"));
      if (!Number.isSafeInteger(id) || !(await redemption.registered(id))) throw itemNotFound("no such redemption in progress");
      return null;
    }),
  );

  router.set(
    NS.bridge,
    "subscribe",
    fromServer(({ payload }) => {
      const approved = redemption.subscribe(required(payload, "token"), required(payload, "user"), required(payload, "contact"));
      if (!approved) throw itemNotFound("the token is not a usable contact invite of this user");
      return null;
    }),
  );

  router.get(
    NS.bridge,
    "commands",
    fromServer(({ payload }) => {
      const requester = parseRequester(required(payload, "for"));
      if (requester === undefined) throw badRequest("'for' must be a JID");
      return xml("commands", { xmlns: NS.bridge }, ...options.commands(requester).map((item) => xml("item", { node: item.node, name: item.name })));
    }),
  );
}

function required(payload: Element, name: string): string {
  const value = payload.attrs[name] as string | undefined;
  if (value === undefined || value === "") throw badRequest(`'${name}' is required`);
  return value;
}

/**
 * XEP-0445 §3: a token that cannot be used is item-not-found; the module
 * passes the condition and text to the app as they are. The words are the
 * same as for any other refusal; only the conditions are the bridge's own.
 */
function toBridgeError(err: unknown, mapped: StanzaError | undefined): unknown {
  if (mapped === undefined) return err;
  if (!(err instanceof InviteRefusal)) return mapped;
  const options = { lang: mapped.lang };
  switch (err.reason) {
    case "not-found":
    case "gone":
      return new StanzaError("item-not-found", "cancel", mapped.text, undefined, options);
    case "invalid":
      return new StanzaError("not-acceptable", "modify", mapped.text, undefined, options);
    case "not-permitted":
    case "limit-active":
    case "limit-rate":
      return mapped;
  }
}

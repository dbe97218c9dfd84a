import { InviteRefusal } from "../invites/errors.js";
import { ClientMetadataError } from "../oauth2/client-metadata.js";
import { ClientRevocationError } from "../oauth2/client-registry.js";
import { StorageUnavailable } from "../store/errors.js";
import { StanzaError } from "./stanza-error.js";
import type { XmppWords } from "./words/index.js";

/** Turns an error of the domain into a stanza error worded in `lang`; undefined for unexpected errors. */
export type ErrorMapper = (err: unknown, lang: string | undefined) => StanzaError | undefined;

/**
 * The one place where refusals of the domain become stanza errors, worded
 * for the requester from Porter's XMPP words; anything unknown is left to the
 * router, which answers internal-server-error without details. A database
 * that cannot be used now (disk full, read-only) is worth waiting for, so it
 * is not an internal error; the SQLite error rides along as the cause, for
 * the log only.
 */
export function stanzaErrors(words: XmppWords): ErrorMapper {
  return (err, lang) => {
    if (err instanceof StorageUnavailable) {
      const { text, lang: spoken } = words.say(lang, "storage.unavailable");
      return new StanzaError("resource-constraint", "wait", text, undefined, { cause: err, lang: spoken });
    }
    // OAuth2 metadata problems name RFC 7591 fields: they stay in the protocol's English.
    if (err instanceof ClientMetadataError) return new StanzaError("bad-request", "modify", err.message);
    if (err instanceof ClientRevocationError) return new StanzaError("item-not-found", "cancel", err.message);
    if (!(err instanceof InviteRefusal)) return undefined;
    const { text, lang: spoken } = words.refusal(lang, err.refusal);
    const options = { lang: spoken };
    switch (err.reason) {
      case "not-permitted":
        return new StanzaError("forbidden", "auth", text, undefined, options);
      case "not-found":
        return new StanzaError("item-not-found", "cancel", text, undefined, options);
      case "gone":
        return new StanzaError("not-allowed", "cancel", text, undefined, options);
      case "invalid":
        return new StanzaError("bad-request", "modify", text, undefined, options);
      case "limit-active":
      case "limit-rate":
        return new StanzaError("resource-constraint", "wait", text, undefined, options);
    }
  };
}

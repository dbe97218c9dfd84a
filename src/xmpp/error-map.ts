import { InviteRefusal } from "../invites/errors.js";
import { ClientMetadataError } from "../oauth2/client-metadata.js";
import { ClientRevocationError } from "../oauth2/client-registry.js";
import { isStorageUnavailable } from "../store/errors.js";
import { StanzaError } from "./stanza-error.js";

const STORAGE_TEXT = "Porter cannot write its database right now; try again later";

/**
 * The one place where refusals of the domain become stanza errors. The text
 * is the domain's message, written for the requester; anything unknown is left
 * to the router, which answers internal-server-error without details. A
 * database that cannot be used now (disk full, read-only) is worth waiting
 * for, so it is not an internal error; the SQLite error rides along as the
 * cause, for the log only.
 */
export function toStanzaError(err: unknown): StanzaError | undefined {
  if (isStorageUnavailable(err)) return new StanzaError("resource-constraint", "wait", STORAGE_TEXT, undefined, { cause: err });
  if (err instanceof ClientMetadataError) return new StanzaError("bad-request", "modify", err.message);
  if (err instanceof ClientRevocationError) return new StanzaError("item-not-found", "cancel", err.message);
  if (!(err instanceof InviteRefusal)) return undefined;
  switch (err.reason) {
    case "not-permitted":
      return new StanzaError("forbidden", "auth", err.message);
    case "not-found":
      return new StanzaError("item-not-found", "cancel", err.message);
    case "gone":
      return new StanzaError("not-allowed", "cancel", err.message);
    case "invalid":
      return new StanzaError("bad-request", "modify", err.message);
    case "limit-active":
    case "limit-rate":
      return new StanzaError("resource-constraint", "wait", err.message);
  }
}

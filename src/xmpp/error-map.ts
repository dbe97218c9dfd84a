import { InviteRefusal } from "../invites/errors.js";
import { ClientMetadataError } from "../oauth2/client-metadata.js";
import { ClientRevocationError } from "../oauth2/client-registry.js";
import { StanzaError } from "./stanza-error.js";

/**
 * The one place where refusals of the domain become stanza errors. The text
 * is the domain's message, written for the requester; anything unknown is left
 * to the router, which answers internal-server-error without details.
 */
export function toStanzaError(err: unknown): StanzaError | undefined {
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

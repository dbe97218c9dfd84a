import type { Actor } from "../../invites/invite-service.js";
import type { CommandRequester } from "../adhoc/command.js";

export function actorOf(requester: CommandRequester): Actor {
  return { kind: "user", jid: requester.jid.bare };
}

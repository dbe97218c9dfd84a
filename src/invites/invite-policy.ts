import type { Config } from "../config/schema.js";
import type { InvitePolicy } from "./invite-service.js";

export function invitePolicyFrom(config: Config): InvitePolicy {
  return {
    publicUrl: config.http.public_url,
    allowUserInvites: config.invites.allow_user_invites,
    defaultTtl: config.invites.ttl,
    resetTtl: config.invites.reset_ttl,
    maxActivePerUser: config.invites.max_active_per_user,
    maxCreatedPerHour: config.invites.max_created_per_hour,
    keepHistory: config.invites.keep_history,
  };
}

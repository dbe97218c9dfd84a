import { InviteRefusal } from "./errors.js";
import { MAX_USES } from "./invite-service.js";

/**
 * The number of uses as an admin types it, in the command form's "uses" field
 * or after `porter invite create --uses`: a whole number, or "unlimited" in
 * any case (null). Absent gives undefined, the service's default of one. The
 * range is the service's to check; text that is no number gets the same
 * refusal, so both edges answer 0, 20000 and "many" with the same words.
 */
export function parseUses(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  if (text.toLowerCase() === "unlimited") return null;
  if (!/^[0-9]+$/.test(text)) throw new InviteRefusal({ code: "uses-out-of-range", max: MAX_USES });
  return Number(text);
}

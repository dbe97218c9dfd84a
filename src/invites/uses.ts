import { InviteRefusal } from "./errors.js";

/**
 * The number of uses as an admin types it, in the command form's "uses" field
 * or after `porter invite create --uses`: a whole number, or "unlimited" in
 * any case (null). Absent gives undefined, the service's default of one. The
 * range is the service's to check, so both edges refuse 0 or 20000 with the
 * same words.
 */
export function parseUses(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  if (text.toLowerCase() === "unlimited") return null;
  if (!/^[0-9]+$/.test(text)) throw new InviteRefusal("invalid", `the number of uses must be a whole number or 'unlimited' (got '${text}')`);
  return Number(text);
}

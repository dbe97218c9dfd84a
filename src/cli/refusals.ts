import type { Refusal } from "../invites/errors.js";

/** The command line's words for each refusal of the invite domain. */
const WORDS: { readonly [C in Refusal["code"]]: (refusal: Extract<Refusal, { code: C }>) => string } = {
  "no-such-invite": () => "there is no such invite",
  expired: () => "this invite has expired",
  revoked: () => "this invite has been revoked",
  used: () => "this invite has already been used",
  "wrong-use": ({ use }) =>
    use === "register"
      ? "this invite does not create accounts"
      : use === "reset"
        ? "this invite does not reset passwords"
        : "this invite is not a contact invite",
  "username-kept": ({ username }) => `the username ${username} is already kept by another active invite`,
  "wrong-account": () => "this invite is for another account",
  "uses-out-of-range": ({ max }) => `the number of uses must be between 1 and ${max}`,
  "reserved-name-single-use": () => "an invite that reserves a username can be used only once",
  "not-revocable": ({ id }) => `there is no invite ${id} you can revoke`,
  "already-revoked": ({ id }) => `invite ${id} is already revoked`,
  "used-up": ({ id }) => `invite ${id} has been used up; there is nothing left to revoke`,
  "limit-active": ({ max }) => `there are already ${max} active invites; revoke one or wait until one is used or expires`,
  "limit-rate": ({ max }) => `${max} invites were created in the last hour; try again later`,
  "not-local": ({ host }) => `only users of ${host} may use invites here`,
  "not-admin": () => "only administrators may do this",
  "bad-username": ({ field, host }) =>
    `${field === "contact" ? "--contact" : field === "account" ? "--reset" : "--username"} must be a valid username on ${host}`,
  "note-too-long": ({ max }) => `the note must be at most ${max} characters`,
  "ttl-out-of-range": () => "the lifetime must be between 1 minute and 365 days",
  "account-exists": ({ jid }) => `the account ${jid} already exists; choose another username`,
  "no-account-to-reset": ({ jid }) => `there is no account ${jid} to reset`,
  "no-contact-account": ({ jid }) => `there is no account ${jid} to become a contact of`,
};

export function refusalText(refusal: Refusal): string {
  const word = WORDS[refusal.code] as (refusal: Refusal) => string;
  return word(refusal);
}

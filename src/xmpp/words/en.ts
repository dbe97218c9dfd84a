/**
 * What Porter says over XMPP (stanza error texts, command notes, in-band
 * registration, notices), in ICU MessageFormat. The key set is the
 * contract: every other language has exactly these keys and placeholders.
 */
export const en = {
  "refusal.no-such-invite": "There is no such invite.",
  "refusal.expired": "This invite has expired.",
  "refusal.revoked": "This invite has been revoked.",
  "refusal.used": "This invite has already been used.",
  "refusal.wrong-use":
    "{use, select, register {This invite does not create accounts.} reset {This invite does not reset passwords.} other {This invite is not a contact invite.}}",
  "refusal.username-kept": "The username {username} is kept for someone else's invite; choose another one.",
  "refusal.wrong-account": "This invite is for another account.",
  "refusal.uses-out-of-range": "The number of uses must be between 1 and {max, number}.",
  "refusal.reserved-name-single-use": "An invite that reserves a username can be used only once.",
  "refusal.not-revocable": "There is no invite #{id} you can revoke.",
  "refusal.already-revoked": "Invite #{id} is already revoked.",
  "refusal.used-up": "Invite #{id} has been used up; there is nothing left to revoke.",
  "refusal.limit-active":
    "You already have {max, plural, one {# active invite} other {# active invites}}; revoke one or wait until one is used or expires.",
  "refusal.limit-rate": "You created {max, plural, one {# invite} other {# invites}} in the last hour; try again later.",
  "refusal.not-local": "Only users of {host} may use invites here.",
  "refusal.not-admin": "Only administrators may do this.",
  "refusal.bad-username":
    "{field, select, contact {The contact} account {The account} other {The username}} must be a valid username on {host}.",
  "refusal.note-too-long": "The note must be at most {max, plural, one {# character} other {# characters}} long.",
  "refusal.ttl-out-of-range": "The lifetime must be between 1 minute and 365 days.",
  "refusal.account-exists": "The account {jid} already exists; choose another username.",
  "refusal.no-account-to-reset": "There is no account {jid} to reset.",
  "refusal.no-contact-account": "There is no account {jid} to become a contact of.",
  "storage.unavailable": "Porter cannot write its database right now; try again later.",
  "signup.username-empty": "Choose a username.",
  "signup.username-too-long": "A username has at most {max, plural, one {# character} other {# characters}}.",
  "signup.username-syntax": "Use only lowercase letters, digits, dots, dashes and underscores, starting and ending with a letter or digit.",
  "signup.username-taken": "This username is already taken.",
  "signup.username-kept": "This username is kept for someone who has an invite for it. Choose another one.",
  "signup.password-too-short": "Choose a password of at least {min, plural, one {# character} other {# characters}}.",
  "signup.password-too-long": "A password has at most {max, plural, one {# character} other {# characters}}.",
  "signup.password-control": "The password contains characters that cannot be typed.",
  "signup.password-contains-username": "The password must not contain the username.",
  "signup.wrong-account": "This invite is for another account.",
  "signup.confirmation-differs": "The two passwords differ.",
  "register.instructions": "Choose a username and a password for a new account on {host}.",
  "register.redirect": "Please visit {url} to register an account on {host}.",
  "register.not-open": "Registration here is not open to you. {instructions}",
  "register.limited":
    "Too many registrations through Porter from {entry}; try again in {minutes, plural, one {# minute} other {# minutes}}.",
  "register.no-removal": "Porter does not remove accounts.",
  "register.unavailable": "The server could not create the account right now; try again later.",
  "register.uncertain": "The server did not confirm the account; try to log in with it, and register again if that fails.",
  "register.failed": "The server did not create the account.",
  "notice.joined": "{address} has joined using your invite #{id}.",
  "notice.reset": "{address} has set a new password with your reset invite #{id}.",
  "notice.contact": "{address} is now your contact through your invite #{id}.",
  "notice.note": "Your note: {note}",
} as const;

export type XmppKey = keyof typeof en;

/**
 * What Porter accepts as a new username and password on its web pages,
 * checked before the server is asked, so people get a precise message in the
 * form. Usernames are stricter than XMPP allows (RFC 7622), on purpose: plain
 * lowercase letters, digits, dots, dashes and underscores cannot be confused
 * with each other or break other systems.
 */
const USERNAME = /^[a-z0-9](?:[a-z0-9._-]{0,30}[a-z0-9])?$/;
export const USERNAME_MAX_LENGTH = 32;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

/** Usernames are compared and stored in lowercase, as XMPP servers fold them. */
export function normaliseUsername(text: string): string {
  return text.trim().toLowerCase();
}

/** A sentence for the form, or undefined when the username is acceptable. */
export function usernameProblem(username: string): string | undefined {
  if (username === "") return "Choose a username.";
  if (username.length > USERNAME_MAX_LENGTH) return `A username has at most ${USERNAME_MAX_LENGTH} characters.`;
  if (!USERNAME.test(username)) {
    return "Use only lowercase letters, digits, dots, dashes and underscores, starting and ending with a letter or digit.";
  }
  return undefined;
}

export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `A password has at most ${PASSWORD_MAX_LENGTH} characters.`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(password)) return "The password contains characters that cannot be typed.";
  if (password.toLowerCase().includes(username.toLowerCase()) && username.length > 0) return "The password must not contain the username.";
  return undefined;
}

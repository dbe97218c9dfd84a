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

/** A sign-up form as the web pages post it. */
export interface SignupForm {
  readonly username: string;
  readonly password: string;
  readonly passwordConfirm: string;
}

export type SignupField = "username" | "password" | "password_confirm";
export type SignupErrors = Partial<Record<SignupField, string>>;

/**
 * Checks a sign-up form. `fixedUsername` is a name the invite imposes (not
 * checked against the web rules: an admin chose it). Returns the username to
 * use and the problems, by field.
 */
export function checkSignupForm(form: SignupForm, fixedUsername: string | null): { readonly username: string; readonly errors: SignupErrors } {
  const username = fixedUsername ?? normaliseUsername(form.username);
  const errors: SignupErrors = {};
  const nameProblem = fixedUsername === null ? usernameProblem(username) : undefined;
  if (nameProblem !== undefined) errors.username = nameProblem;
  const secretProblem = passwordProblem(form.password, username);
  if (secretProblem !== undefined) errors.password = secretProblem;
  else if (form.password !== form.passwordConfirm) errors.password_confirm = "The two passwords differ.";
  return { username, errors };
}

export const TAKEN_MESSAGE = "This username is already taken. Choose another one.";
export const RESERVED_MESSAGE = "This username is kept for someone who has an invite for it. Choose another one.";
export const TRY_LATER_MESSAGE = "The server could not complete this right now. Please try again in a few minutes.";

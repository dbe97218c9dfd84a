/**
 * What Porter accepts as a new username and password on its web pages,
 * checked before the server is asked, so people get a precise answer in the
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

/**
 * What can be wrong with a field of a sign-up form; each edge words it (the
 * limits above are the numbers its words need).
 */
export type SignupProblem =
  | "username-empty"
  | "username-too-long"
  | "username-syntax"
  /** The server has an account of that name. */
  | "username-taken"
  /** An active invite keeps the name for its invitee. */
  | "username-kept"
  /** The invite reserves another name. */
  | "wrong-account"
  | "password-too-short"
  | "password-too-long"
  | "password-control"
  | "password-contains-username"
  | "confirmation-differs";

const PROBLEM_FACTS: Partial<Record<SignupProblem, Readonly<Record<string, number>>>> = {
  "username-too-long": { max: USERNAME_MAX_LENGTH },
  "password-too-short": { min: PASSWORD_MIN_LENGTH },
  "password-too-long": { max: PASSWORD_MAX_LENGTH },
};

/** The numbers the words of a problem need, the same for every edge that words it. */
export function signupProblemFacts(problem: SignupProblem): Readonly<Record<string, number>> {
  return PROBLEM_FACTS[problem] ?? {};
}

/** The problem of a username, or undefined when it is acceptable. */
export function usernameProblem(username: string): SignupProblem | undefined {
  if (username === "") return "username-empty";
  if (username.length > USERNAME_MAX_LENGTH) return "username-too-long";
  if (!USERNAME.test(username)) return "username-syntax";
  return undefined;
}

export function passwordProblem(password: string, username: string): SignupProblem | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return "password-too-short";
  if (password.length > PASSWORD_MAX_LENGTH) return "password-too-long";
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(password)) return "password-control";
  if (password.toLowerCase().includes(username.toLowerCase()) && username.length > 0) return "password-contains-username";
  return undefined;
}

/** A sign-up form as the web pages post it. */
export interface SignupForm {
  readonly username: string;
  readonly password: string;
  readonly passwordConfirm: string;
}

export type SignupField = "username" | "password" | "password_confirm";
export type SignupErrors = Partial<Record<SignupField, SignupProblem>>;

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
  else if (form.password !== form.passwordConfirm) errors.password_confirm = "confirmation-differs";
  return { username, errors };
}

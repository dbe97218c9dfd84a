/*
 * Secrets are removed by field name from each finished JSON line, at any
 * depth: the fields of a log call, a child logger's bindings and whatever a
 * serializer produced alike. Most lines hold none of these names, and one
 * regular expression over the line tells; only a line that does is parsed and
 * written again. (pino's own path redaction walked 33 paths, wildcards
 * included, for every field of every line: 19 µs a line, a sixteenth of a
 * "New Invite".) Redaction cannot see inside strings, so Porter logs stanza
 * and request metadata, never raw XML, bodies or URLs that carry tokens.
 */
const SECRET_FIELDS = [
  "secret",
  "password",
  "password_confirm",
  "token",
  "key",
  "client_secret",
  "registration_key",
  "registration_access_token",
  "initial_access_token",
  "authorization",
  "cookie",
  "set-cookie",
] as const;

export const CENSOR = "[redacted]";

const SECRETS: ReadonlySet<string> = new Set(SECRET_FIELDS);
// A JSON key is a quoted name followed by a colon; within a string value the quotes would be escaped.
const NAMES_A_SECRET = new RegExp(`"(?:${SECRET_FIELDS.join("|")})":`);

/** The line, or, when it names a secret field, the line with every such field's value censored. */
export function redactLine(line: string): string {
  if (!NAMES_A_SECRET.test(line)) return line;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // Not JSON after all (a line pino could not have written): nothing of it may leave.
    return `${JSON.stringify({ level: 50, msg: "a log line that named a secret field could not be read, and was dropped" })}\n`;
  }
  return `${JSON.stringify(censored(value))}\n`;
}

function censored(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(censored);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, SECRETS.has(field) ? CENSOR : censored(inner)]));
}

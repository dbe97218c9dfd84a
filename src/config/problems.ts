import type { z } from "zod";

import { envVariable, type KnownKeys } from "./keys.js";

/*
 * One line per configuration problem, for an operator who may not have the
 * file open: the key, where its value came from (the file or the variable),
 * what was wrong with it, and what the key accepts.
 */

/** Values never repeated in a message: they are secrets, and a typo in one is still most of it. */
const SECRET_KEYS = new Set(["xmpp.secret", "oauth2.registration_key", "oauth2.initial_access_token"]);
const MAX_SHOWN = 60;

export interface ProblemContext {
  /** The config file that was read; undefined when none was found. */
  readonly file: string | undefined;
  /** Dotted key (section.key, or a top-level key) -> the variable that set it. */
  readonly overrides: ReadonlyMap<string, string>;
  readonly keys: KnownKeys;
}

export function describeIssue(issue: z.core.$ZodIssue, context: ProblemContext): string {
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => unknownKey(issue.path, key, context)).join("\n");
  const path = issue.path.map(String).join(".");
  const setting = settingOf(issue.path);
  const variable = context.overrides.get(setting);
  const requirement = requirementOf(issue);
  if (issue.code === "invalid_type" && issue.input === undefined) {
    if (variable !== undefined || issue.path.length > 2) return `${path}${sourceOf(variable, context.file)}: is missing; it ${requirement}`;
    const wanted = setting.includes(".") ? envVariable(...(setting.split(".") as [string, string])) : envVariable(setting);
    const unset = context.file === undefined ? `no config file was found and ${wanted} is not set` : `neither ${context.file} nor ${wanted} sets it`;
    return `${path}: is required, but ${unset}; it ${requirement}`;
  }
  const value = SECRET_KEYS.has(setting) ? "the value given" : showValue(issue.input);
  return `${path}${sourceOf(variable, context.file)}: ${value} ${requirement}`;
}

/** A PORTER_* variable that names no key, with the variables that do exist. */
export function describeUnknownVariable(variable: string, keys: KnownKeys): string {
  // The longest section name first: PORTER_REGISTER_REDIRECT_URL belongs to register_redirect.
  const sections = [...keys.entries()].filter(([, sectionKeys]) => sectionKeys !== undefined).sort(([a], [b]) => b.length - a.length);
  const section = sections.find(([name]) => variable.startsWith(`${envVariable(name)}_`));
  if (section === undefined) {
    const names = [...keys.keys()].map((name) => envVariable(name)).join(", ");
    return `${variable}: unknown setting; variables are PORTER_<SECTION>_<KEY> for the sections ${names} (e.g. PORTER_XMPP_SECRET)`;
  }
  const [name, sectionKeys = []] = section;
  return `${variable}: unknown setting; the ${name} section has ${sectionKeys.map((key) => envVariable(name, key)).join(", ")}`;
}

/** The headline when required keys are missing and no file was read: the likeliest cause. */
export function noConfigFileProblem(defaultPath: string): string {
  return `no config file was found: none was given (--config FILE or PORTER_CONFIG) and ${defaultPath} does not exist; without one, every required key must come from a PORTER_* variable`;
}

function unknownKey(path: readonly PropertyKey[], key: string, context: ProblemContext): string {
  const where = context.file === undefined ? "" : ` (in ${context.file})`;
  if (path.length === 0) return `${key}${where}: unknown section; the configuration has ${[...context.keys.keys()].join(", ")}`;
  const [section] = path;
  const sectionKeys = path.length === 1 ? context.keys.get(String(section)) : undefined;
  const prefix = path.map(String).join(".");
  const source = sourceOf(context.overrides.get(settingOf(path)), context.file);
  if (sectionKeys === undefined) return `${prefix}.${key}${source}: unknown key`;
  return `${prefix}.${key}${source}: unknown key; the ${String(section)} section has ${sectionKeys.join(", ")}`;
}

/** The key a value was set under: section.key, or the top-level key (admins.3 is set as admins). */
function settingOf(path: readonly PropertyKey[]): string {
  const [first, second] = path;
  return typeof second === "string" ? `${String(first)}.${second}` : String(first);
}

function sourceOf(variable: string | undefined, file: string | undefined): string {
  if (variable !== undefined) return ` (from ${variable})`;
  return file === undefined ? "" : ` (in ${file})`;
}

/** What the key accepts, as "must ..." or "is ...", in the operator's words rather than the validator's. */
function requirementOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map(String).join(", ")}`;
  if (issue.code === "invalid_type" && issue.expected === "object") return "must be a mapping of keys to values";
  if (issue.code === "invalid_type" && issue.expected === "array") return "must be a list";
  // Messages written for Porter start in lower case; anything else is the validator's own wording.
  return /^[a-z]/.test(issue.message) ? issue.message : `is not accepted (${issue.message})`;
}

function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === "object" ? "a mapping" : "the value given";
}

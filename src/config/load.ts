import { existsSync, readFileSync } from "node:fs";

import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";

import { type Config, configSchema } from "./schema.js";

export const DEFAULT_CONFIG_PATH = "config/porter.yaml";
const ENV_PREFIX = "PORTER_";
// Variables of ours that are not config keys.
const ENV_NOT_KEYS = new Set(["PORTER_CONFIG"]);

/** Every problem found, each naming its key, so the operator fixes them in one pass. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

export interface ConfigSource {
  /** Where the file was read from, or undefined when only the environment was used. */
  readonly path: string | undefined;
  /** Environment variables that overrode keys, by name. */
  readonly overrides: readonly string[];
}

export interface LoadedConfig {
  readonly config: Config;
  readonly source: ConfigSource;
}

/**
 * Finds the file (explicit path, then $PORTER_CONFIG, then config/porter.yaml),
 * applies PORTER_<SECTION>_<KEY> variables on top and validates the result.
 * A missing default file is fine (a container may be configured by variables alone);
 * a missing file that was asked for is not.
 */
export function loadConfig(options: { path?: string | undefined; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const requested = options.path ?? nonEmpty(env.PORTER_CONFIG);
  const path = requested ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);

  const raw = path === undefined ? {} : readYaml(path);
  const overrides = applyEnv(raw, env);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, overrides)));
  return { config: parsed.data, source: { path, overrides: [...overrides.keys()] } };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function readYaml(path: string): Record<string, unknown> {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new ConfigError([`${path}: cannot read the config file (${reason})`]);
  }
  let document: unknown;
  try {
    document = parseYaml(content);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` line ${err.linePos[0].line}` : "";
    throw new ConfigError([`${path}:${where} not valid YAML (${(err as Error).message.split("\n")[0] ?? ""})`]);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new ConfigError([`${path}: the config file must be a mapping of sections`]);
  }
  return document as Record<string, unknown>;
}

/** Known keys as [section, key] pairs (key undefined for top-level keys such as admins). */
function knownKeys(): [string, string | undefined][] {
  const keys: [string, string | undefined][] = [];
  for (const [name, schema] of Object.entries(configSchema.shape)) {
    const shape = objectShape(schema);
    if (shape === undefined) keys.push([name, undefined]);
    else for (const key of Object.keys(shape)) keys.push([name, key]);
  }
  return keys;
}

function objectShape(schema: z.ZodType): Record<string, unknown> | undefined {
  // Sections are strict objects, possibly wrapped in a default.
  let current: unknown = schema;
  for (let depth = 0; depth < 4 && current !== undefined; depth++) {
    const def = (current as { def?: { type?: string; shape?: Record<string, unknown>; innerType?: unknown } }).def;
    if (def?.type === "object") return def.shape;
    current = def?.innerType;
  }
  return undefined;
}

/** Writes PORTER_* values into the raw document; returns dotted key -> variable name. */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const byVariable = new Map<string, [string, string | undefined]>();
  for (const [name, key] of knownKeys()) {
    byVariable.set(`${ENV_PREFIX}${name}${key === undefined ? "" : `_${key}`}`.toUpperCase(), [name, key]);
  }
  const applied = new Map<string, string>();
  const unknown: string[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || ENV_NOT_KEYS.has(variable) || value === undefined) continue;
    const target = byVariable.get(variable);
    if (target === undefined) {
      unknown.push(`${variable}: unknown setting (variables are PORTER_<SECTION>_<KEY>, e.g. PORTER_XMPP_SECRET)`);
      continue;
    }
    const [name, key] = target;
    if (key === undefined) {
      raw[name] = value;
    } else {
      const current = raw[name];
      const sectionObject =
        typeof current === "object" && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
      sectionObject[key] = value;
      raw[name] = sectionObject;
    }
    applied.set(key === undefined ? name : `${name}.${key}`, variable);
  }
  if (unknown.length > 0) throw new ConfigError(unknown);
  return applied;
}

function describeIssue(issue: z.core.$ZodIssue, overrides: Map<string, string>): string {
  if (issue.code === "unrecognized_keys") {
    const prefix = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    return issue.keys.map((key) => `${prefix}${key}: unknown key`).join("\n");
  }
  const key = issue.path.join(".");
  const viaEnv = overrides.get(issue.path.slice(0, 2).join(".")) ?? overrides.get(String(issue.path[0]));
  const origin = viaEnv === undefined ? "" : ` (from ${viaEnv})`;
  const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
  return `${key}${origin}: ${message}`;
}

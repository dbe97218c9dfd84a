import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

import { parse as parseYaml, YAMLParseError } from "yaml";

import { ENV_PREFIX, envVariable, knownKeys } from "./keys.js";
import { describeIssue, describeUnknownVariable, noConfigFileProblem } from "./problems.js";
import { type Config, configSchema } from "./schema.js";

export const DEFAULT_CONFIG_PATH = "config/porter.yaml";
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
  const { overrides, unknown } = applyEnv(raw, env);
  // reportInput: each problem can show the value it is about (secrets excepted).
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const { issues } = parsed.error;
    const problems = [...unknown, ...issues.map((issue) => describeIssue(issue, { file: path, overrides, keys: knownKeys() }))];
    // Required keys missing and no file read: say so first, it is the likeliest cause.
    const missing = issues.some((issue) => issue.code === "invalid_type" && issue.input === undefined);
    if (path === undefined && missing) problems.unshift(noConfigFileProblem(resolve(DEFAULT_CONFIG_PATH)));
    throw new ConfigError(problems);
  }
  if (unknown.length > 0) throw new ConfigError(unknown);
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

/**
 * Writes PORTER_* values into the raw document; returns dotted key -> variable
 * name, and a problem for each variable that names no key (reported with the
 * others, so that one pass finds them all).
 */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): { overrides: Map<string, string>; unknown: string[] } {
  const keys = knownKeys();
  const byVariable = new Map<string, [string, string | undefined]>();
  for (const [name, sectionKeys] of keys) {
    if (sectionKeys === undefined) byVariable.set(envVariable(name), [name, undefined]);
    else for (const key of sectionKeys) byVariable.set(envVariable(name, key), [name, key]);
  }
  const applied = new Map<string, string>();
  const unknown: string[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || ENV_NOT_KEYS.has(variable) || value === undefined) continue;
    const target = byVariable.get(variable);
    if (target === undefined) {
      unknown.push(describeUnknownVariable(variable, keys));
      continue;
    }
    const [name, key] = target;
    if (key === undefined) {
      raw[name] = value;
    } else {
      const current = raw[name];
      const sectionObject = typeof current === "object" && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
      sectionObject[key] = value;
      raw[name] = sectionObject;
    }
    applied.set(key === undefined ? name : `${name}.${key}`, variable);
  }
  return { overrides: applied, unknown };
}

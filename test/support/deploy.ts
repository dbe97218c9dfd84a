import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { parseDocument, stringify } from "yaml";

import type { InstanceSettings, ServerKind } from "../../harness/types.js";

/** A path in the repository (tests run from dist/test/). */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), "utf8");
}

/** Parses YAML strictly: a syntax error or a repeated key fails, as it would in Compose or ejabberd. */
export function parseYamlStrictly(text: string, name: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) throw new Error(`${name}: ${document.errors.map((error) => error.message).join("\n")}`);
  return document.toJS() as unknown;
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: string;
  readonly user?: string;
  readonly entrypoint?: readonly string[];
  readonly environment?: Readonly<Record<string, unknown>>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly depends_on?: readonly string[];
  readonly read_only?: boolean;
  readonly cap_drop?: readonly string[];
  readonly cap_add?: readonly string[];
  readonly security_opt?: readonly string[];
  readonly tmpfs?: readonly string[];
  readonly networks?: readonly string[] | Readonly<Record<string, { readonly ipv4_address?: string } | null>>;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
  readonly networks?: Readonly<Record<string, { readonly ipam?: { readonly config?: readonly { readonly subnet?: string; readonly gateway?: string }[] } }>>;
}

export function readCompose(kind: ServerKind): ComposeFile {
  return parseYamlStrictly(readRepoFile(`deploy/${kind}/compose.yaml`), `deploy/${kind}/compose.yaml`) as ComposeFile;
}

/** The PORTER_* variables the Dockerfile sets for every container of the image. */
export function imageEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name, value] of readRepoFile("Dockerfile").matchAll(/\b(PORTER_[A-Z0-9_]+)=(\S+)/g)) {
    if (name !== undefined && value !== undefined) env[name] = value;
  }
  return env;
}

/** deploy/<kind>/.env.example, the stand-in for the operator's .env: NAME=value lines. */
export function readDotEnvExample(kind: ServerKind): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readRepoFile(`deploy/${kind}/.env.example`).split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) values[match[1]] = match[2] ?? "";
  }
  return values;
}

/**
 * Compose's interpolation of ${NAME}, ${NAME:-default} and ${NAME:?error}
 * from .env; a missing required value fails as docker compose would.
 */
export function interpolate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_whole, name: string, operator: string | undefined, argument: string | undefined) => {
    const value = values[name];
    if (value !== undefined && value !== "") return value;
    if (operator === "?") throw new Error(`${name}: ${argument ?? "required"}`);
    return operator === "-" ? (argument ?? "") : (value ?? "");
  });
}

/** The environment a service of a compose example gets, with .env.example as .env. */
export function serviceEnvironment(kind: ServerKind, service: string): Record<string, string> {
  const dotEnv = readDotEnvExample(kind);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(readCompose(kind).services[service]?.environment ?? {})) {
    if (typeof value !== "string") throw new Error(`deploy/${kind}/compose.yaml: ${name} must be a quoted string (got ${typeof value})`);
    env[name] = interpolate(value, dotEnv);
  }
  return env;
}

/** What the Porter container of a compose example sees: the image's variables under the compose file's. */
export function porterContainerEnvironment(kind: ServerKind): Record<string, string> {
  return { ...imageEnvironment(), ...serviceEnvironment(kind, "porter") };
}

/** The component settings of deploy/ejabberd/ejabberd.yml, parsed. */
export interface EjabberdListener {
  port: number;
  ip: string;
  module: string;
  hosts?: Record<string, { password?: string }>;
  starttls_required?: boolean;
  [option: string]: unknown;
}

export interface EjabberdConfig {
  hosts: string[];
  listen: EjabberdListener[];
  acl: Record<string, Record<string, unknown>>;
  access_rules: Record<string, unknown>;
  modules: Record<string, Record<string, unknown> | null>;
  [option: string]: unknown;
}

export function readEjabberdConfig(): EjabberdConfig {
  return parseYamlStrictly(readRepoFile("deploy/ejabberd/ejabberd.yml"), "deploy/ejabberd/ejabberd.yml") as EjabberdConfig;
}

/** Replaces each pattern, which must match exactly once: a changed example must fail loudly here. */
function substituteOnce(text: string, name: string, replacements: readonly (readonly [RegExp, string])[]): string {
  return replacements.reduce((current, [pattern, replacement]) => {
    const found = current.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`))?.length ?? 0;
    if (found !== 1) throw new Error(`${name}: expected one match of ${String(pattern)}, found ${found}`);
    return current.replace(pattern, replacement);
  }, text);
}

/**
 * deploy/prosody/prosody.cfg.lua on a loopback test instance: settings the file
 * leaves to Prosody's defaults come first (ports, folders, no TLS, as root),
 * and only its listener, log and module path lines are moved; every grant
 * and module is the file's own. The community modules are Debian's.
 */
export function prosodyTestConfig(instance: InstanceSettings): string {
  const deployed = substituteOnce(readRepoFile("deploy/prosody/prosody.cfg.lua"), "deploy/prosody/prosody.cfg.lua", [
    // Debian's prosody-modules are on the default path; Porter's module comes from this checkout.
    [/^plugin_paths = .*$/m, `plugin_paths = { ${JSON.stringify(repoPath("server-modules/prosody"))} }`],
    [/^component_ports = \{ 5347 \}$/m, `component_ports = { ${instance.componentPort} }`],
    [/^component_interfaces = \{ "[^"]*" \}$/m, 'component_interfaces = { "127.0.0.1" }'],
    // What the container's environment gives Prosody, written in (Prosody reads the environment itself there).
    [/ENV_PORTER_XMPP_SECRET/, JSON.stringify(serviceEnvironment("prosody", "prosody").PORTER_XMPP_SECRET ?? "")],
    [/^log = .*$/m, `log = { { levels = { min = "info" }, to = "file", filename = ${JSON.stringify(join(instance.dir, "prosody.log"))} } }`],
  ]);
  return `-- deploy/prosody/prosody.cfg.lua moved onto a loopback test instance by Porter's tests
run_as_root = true
pidfile = ${JSON.stringify(join(instance.dir, "prosody.pid"))}
data_path = ${JSON.stringify(join(instance.dir, "data"))}
interfaces = { "127.0.0.1" }
c2s_ports = { ${instance.c2sPort} }
s2s_ports = { }
http_ports = { }
https_ports = { }
modules_disabled = { "tls" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true

${deployed}`;
}

/**
 * deploy/ejabberd/ejabberd.yml on a loopback test instance: the client and
 * component listeners move to the instance's ports without TLS, the other
 * listeners and the certificates go; every grant and module is the file's own.
 */
export function ejabberdTestConfig(instance: InstanceSettings): string {
  const config = readEjabberdConfig();
  delete config.ca_file;
  const listen = config.listen.flatMap((listener): EjabberdListener[] => {
    if (listener.module === "ejabberd_c2s") return [{ ...listener, ip: "127.0.0.1", port: instance.c2sPort, starttls_required: false }];
    if (listener.module === "ejabberd_service") return [{ ...listener, ip: "127.0.0.1", port: instance.componentPort }];
    return [];
  });
  if (listen.length !== 2) throw new Error("deploy/ejabberd/ejabberd.yml: expected one ejabberd_c2s and one ejabberd_service listener");
  return `# deploy/ejabberd/ejabberd.yml moved onto a loopback test instance by Porter's tests\n${stringify({ ...config, certfiles: [], listen })}`;
}

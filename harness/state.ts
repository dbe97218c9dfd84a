import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { freePort } from "./ports.js";
import type { InstanceSettings, ServerOptions } from "./types.js";

/** This checkout's server modules, which tests load into the servers. */
export const SERVER_MODULES_DIR = fileURLToPath(new URL("../../server-modules/", import.meta.url));

/** The options every server resolves the same way: names, secret, ports and state folder. */
export interface ResolvedOptions {
  readonly bindPaths: readonly string[];
  readonly host: string;
  readonly componentDomain: string;
  readonly componentSecret: string;
  readonly admins: readonly string[];
  readonly users: readonly { readonly username: string; readonly password: string }[];
  readonly grantComponentAdmin: boolean;
  readonly grantComponentRoster: boolean;
  readonly registerRedirectUrl: string | undefined;
  readonly porterModule: { readonly openRegistration: boolean } | undefined;
  readonly c2sPort: number;
  readonly componentPort: number;
  readonly prosodyHostModules: readonly string[];
  readonly prosodyHostOptions: Readonly<Record<string, string | number | boolean>>;
  readonly prosodyHttpPort: number | undefined;
  readonly prosodyComponents: readonly { readonly domain: string; readonly secret: string }[];
  readonly extraHosts: readonly string[];
  readonly configFile: ((instance: InstanceSettings) => string) | undefined;
  readonly dir: string;
  readonly temporary: boolean;
}

export async function resolveOptions(options: ServerOptions, prefix: string): Promise<ResolvedOptions> {
  const temporary = options.dir === undefined;
  const dir = options.dir === undefined ? mkdtempSync(join(tmpdir(), prefix)) : resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  return {
    bindPaths: [...(options.bindPaths ?? []), ...(options.porterModule === undefined ? [] : [SERVER_MODULES_DIR])].map((path) => resolve(path)),
    host: options.host ?? "localhost",
    componentDomain: options.componentDomain ?? "invite.localhost",
    componentSecret: options.componentSecret ?? randomBytes(16).toString("hex"),
    admins: options.admins ?? [],
    users: options.users ?? [],
    grantComponentAdmin: options.grantComponentAdmin ?? true,
    grantComponentRoster: options.grantComponentRoster ?? true,
    registerRedirectUrl: options.registerRedirectUrl,
    porterModule: options.porterModule === undefined ? undefined : { openRegistration: options.porterModule.openRegistration ?? false },
    c2sPort: options.c2sPort ?? (await freePort()),
    componentPort: options.componentPort ?? (await freePort()),
    prosodyHostModules: options.prosodyHostModules ?? [],
    prosodyHostOptions: options.prosodyHostOptions ?? {},
    prosodyHttpPort: options.prosodyHttpPort,
    prosodyComponents: options.prosodyComponents ?? [],
    extraHosts: options.extraHosts ?? [],
    configFile: options.configFile,
    dir,
    temporary,
  };
}

export function tailOf(path: string, lines: number): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return `(no log at ${path})`;
  }
}

export function removeTemporary(options: ResolvedOptions): void {
  if (options.temporary) rmSync(options.dir, { recursive: true, force: true });
}

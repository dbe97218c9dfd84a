import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

import { chrootCommand, ensureDebian13 } from "./debian13.js";
import { ensureDebianPackages } from "./install.js";
import type { Release, ServerKind } from "./types.js";

const run = promisify(execFile);

const NAMES: Readonly<Record<ServerKind, string>> = { prosody: "Prosody", ejabberd: "ejabberd" };

/** Where a test server's programs are installed and run: this machine, or the Debian 13 chroot. */
export interface ServerSystem {
  readonly release: Release;
  /** The installed server and its upstream version, e.g. "Prosody 13.0.1". */
  readonly version: string;
  /** The program and arguments that run `argv` there, with `folders` visible at their own paths. */
  command(argv: readonly string[], folders: readonly string[]): { file: string; args: string[] };
  /** A system user's uid and gid as that system's files know them. */
  user(name: string): { uid: number; gid: number };
}

/** Makes sure the server of `kind` is installed for `release` (installing or building it if not). */
export async function serverSystem(kind: ServerKind, release: Release = "debian12"): Promise<ServerSystem> {
  if (release === "debian12") {
    await ensureDebianPackages([kind]);
    return {
      release,
      version: await installedVersion(kind, "/"),
      command: ([file = "", ...args]) => ({ file, args }),
      user: (name) => systemUser(name, "/"),
    };
  }
  const root = await ensureDebian13();
  return {
    release,
    version: await installedVersion(kind, root),
    command: (argv, folders) => chrootCommand(root, folders, argv),
    user: (name) => systemUser(name, root),
  };
}

async function installedVersion(kind: ServerKind, root: string): Promise<string> {
  const { stdout } = await run("dpkg-query", [`--admindir=${join(root, "var/lib/dpkg")}`, "-W", "-f", "${Version}", kind]);
  // Without the epoch and the Debian revision: 1:24.12-3+deb13u2 is ejabberd 24.12.
  return `${NAMES[kind]} ${stdout
    .trim()
    .replace(/^\d+:/, "")
    .replace(/-[^-]*$/, "")}`;
}

function systemUser(name: string, root: string): { uid: number; gid: number } {
  const entry = readFileSync(join(root, "etc/passwd"), "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .find(([user]) => user === name);
  const [, , uid, gid] = entry ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no user ${name} in ${join(root, "etc/passwd")}: its Debian package did not create it`);
  return { uid: Number(uid), gid: Number(gid) };
}

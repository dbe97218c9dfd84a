import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

import type { ServerKind } from "./types.js";

const run = promisify(execFile);

type Installable = ServerKind | "chromium" | "debootstrap";

const PACKAGES: Readonly<Record<Installable, readonly { readonly path: string; readonly pkg: string }[]>> = {
  prosody: [
    { path: "/usr/bin/prosody", pkg: "prosody" },
    { path: "/usr/lib/prosody/modules/mod_privilege", pkg: "prosody-modules" },
  ],
  ejabberd: [{ path: "/usr/sbin/ejabberdctl", pkg: "ejabberd" }],
  chromium: [{ path: "/usr/bin/chromium", pkg: "chromium" }],
  debootstrap: [{ path: "/usr/sbin/debootstrap", pkg: "debootstrap" }],
};

/**
 * Makes sure the Debian packages of the given servers (or the test browser, or
 * the chroot builder) are installed: installs what is missing when running as
 * root on Debian, and otherwise fails saying what to install. Tests never skip
 * because a server is missing.
 */
export async function ensureDebianPackages(kinds: readonly Installable[]): Promise<void> {
  const missing = [...new Set(kinds.flatMap((kind) => PACKAGES[kind].filter(({ path }) => !existsSync(path)).map(({ pkg }) => pkg)))];
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(" ")}`;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    throw new Error(`missing Debian packages ${missing.join(", ")}: install them as root with: ${command}`);
  }
  try {
    await run("apt-get", ["update", "-qq"], { maxBuffer: 64 * 1024 * 1024 });
    await run("apt-get", ["install", "-y", "-qq", ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    throw new Error(`installing ${missing.join(", ")} failed (${(err as Error).message.split("\n")[0] ?? ""}); try: ${command}`, { cause: err });
  }
}

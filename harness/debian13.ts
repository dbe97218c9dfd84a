import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";

import { ensureDebianPackages } from "./install.js";
import { tailOf } from "./state.js";

const run = promisify(execFile);

/**
 * Debian 13's Prosody and ejabberd for this Debian 12 machine, without Docker:
 * a debootstrap chroot of trixie with both servers installed, built once by the
 * first test that needs it, cached outside the checkout and shared by every
 * test process. Delete the folder to rebuild it from the mirror's current
 * packages.
 */
export const DEBIAN13_ROOT = process.env.PORTER_TEST_DEBIAN13_ROOT ?? "/var/cache/porter-test/debian13";

/** What the chroot holds: a cache built with another list is rebuilt. */
const PACKAGES = ["prosody", "prosody-modules", "ejabberd"];
/** Written last into the finished tree: what it holds and when it was built. */
const STAMP = "porter-stamp.json";
const LOCK_TIMEOUT_S = 15 * 60;
const OUTPUT_LIMIT = 64 * 1024 * 1024;

/**
 * Run as `sh -c ENTER sh ROOT FOLDER... -- COMMAND...` in a new private mount
 * namespace: the mounts are seen by no one else and end with the last process
 * in the namespace (a daemonised ejabberd keeps them while it runs). Each
 * FOLDER appears at its own path inside ROOT. The tmpfs on /tmp holds the mount
 * points of the tests' temporary folders, so none piles up in the cached tree.
 */
const ENTER = `set -e
root=$1; shift
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/tmp"
while [ "$1" != -- ]; do mkdir -p "$root$1"; mount --bind "$1" "$root$1"; shift; done
shift
exec chroot "$root" "$@"`;

/** The program and arguments that run `argv` inside the chroot at `root`, with `folders` visible. */
export function chrootCommand(root: string, folders: readonly string[], argv: readonly string[]): { file: string; args: string[] } {
  return { file: "unshare", args: ["--mount", "--propagation", "private", "sh", "-c", ENTER, "sh", root, ...folders, "--", ...argv] };
}

let ready: Promise<string> | undefined;

/**
 * The chroot's folder, built first when it is missing or was built with
 * another package list. A failure is kept: the tests after it fail at once
 * with the same reason instead of building again.
 */
export function ensureDebian13(): Promise<string> {
  ready ??= prepare(DEBIAN13_ROOT);
  return ready;
}

async function prepare(root: string): Promise<string> {
  if (process.getuid?.() !== 0) {
    throw new Error(`Debian 13's servers run in a chroot (${root}) that only root can build and enter: run the tests as root`);
  }
  if (current(root)) return root;
  await ensureDebianPackages(["debootstrap"]);
  mkdirSync(dirname(root), { recursive: true });
  await withLock(`${root}.lock`, async () => {
    // Another test process may have built it while this one waited for the lock.
    if (!current(root)) await build(root);
  });
  return root;
}

function current(root: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(root, STAMP), "utf8")) as { packages?: unknown };
    return Array.isArray(stamp.packages) && stamp.packages.join(" ") === PACKAGES.join(" ");
  } catch {
    return false;
  }
}

/**
 * Builds the tree beside `root` and renames it into place only once complete,
 * so a half-built chroot is never used.
 */
async function build(root: string): Promise<void> {
  const started = Date.now();
  const mirror = debianMirror();
  const part = `${root}.part-${String(process.pid)}`;
  // Trees of builds that were killed: only the lock holder builds, so none is in use.
  for (const name of readdirSync(dirname(root))) {
    if (name.startsWith(`${basename(root)}.part-`)) rmSync(join(dirname(root), name), { recursive: true, force: true });
  }
  process.stderr.write(`Building Debian 13's Prosody and ejabberd into ${root} (once, about a minute)\n`);
  try {
    // In its own mount namespace, whatever debootstrap mounts inside the tree ends with
    // it, even if it fails half-way: removing the tree never reaches the host's /proc.
    await run("unshare", ["--mount", "--propagation", "private", "debootstrap", "--variant=minbase", "trixie", part, mirror], {
      maxBuffer: OUTPUT_LIMIT,
    });
    // Nothing may start by itself inside the chroot: the tests start their own instances.
    writeFileSync(join(part, "usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    const install = `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${PACKAGES.join(" ")} && apt-get clean`;
    const { file, args } = chrootCommand(part, [], ["sh", "-c", install]);
    await run(file, args, { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, maxBuffer: OUTPUT_LIMIT });
    const { stdout } = await run("dpkg-query", [`--admindir=${join(part, "var/lib/dpkg")}`, "-W", "-f", "${Package} ${Version}\n", ...PACKAGES]);
    const installed = stdout.trim().split("\n");
    const seconds = Math.round((Date.now() - started) / 1000);
    const stamp = { suite: "trixie", mirror, packages: PACKAGES, installed, built: new Date().toISOString(), seconds };
    writeFileSync(join(part, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
    moveIntoPlace(part, root);
    process.stderr.write(`Built ${root} in ${String(seconds)} s\n`);
  } catch (err) {
    const log = existsSync(join(part, "debootstrap")) ? `\ndebootstrap's log:\n${tailOf(join(part, "debootstrap/debootstrap.log"), 20)}` : "";
    rmSync(part, { recursive: true, force: true });
    throw new Error(
      `building the Debian 13 chroot ${root} from ${mirror} failed: ${(err as Error).message}${log}\n` +
        `It needs root, debootstrap and Debian's mirror; once they are there, run the tests again. ` +
        `PORTER_TEST_DEBIAN13_ROOT chooses another folder.`,
      { cause: err },
    );
  }
}

/** Replaces an outdated tree, if any: the renames are quick, the removal comes after. */
function moveIntoPlace(part: string, root: string): void {
  if (!existsSync(root)) {
    renameSync(part, root);
    return;
  }
  const outdated = `${part}-outdated`;
  renameSync(root, outdated);
  renameSync(part, root);
  rmSync(outdated, { recursive: true, force: true });
}

/** The Debian archive this machine installs from: one the machine is known to reach. */
function debianMirror(): string {
  const dir = "/etc/apt/sources.list.d";
  const lists = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => /\.(list|sources)$/.test(name))
        .map((name) => join(dir, name))
    : [];
  for (const file of ["/etc/apt/sources.list", ...lists]) {
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    for (const line of text.split("\n")) {
      if (line.trimStart().startsWith("#")) continue;
      const url = line.match(/https?:\/\/\S+/g)?.find((candidate) => /\/debian\/?$/.test(candidate));
      if (url !== undefined) return url;
    }
  }
  return "http://deb.debian.org/debian";
}

/**
 * Runs `body` holding an exclusive flock(2) on `path`, so that two test
 * processes never build at once. The lock belongs to the open file, which the
 * `flock` child shares with this process: it stays held after the child exits
 * and is released when this process closes the file or dies, so a killed build
 * never leaves a stale lock.
 */
async function withLock(path: string, body: () => Promise<void>): Promise<void> {
  const fd = openSync(path, "a");
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn("flock", ["--exclusive", "--timeout", String(LOCK_TIMEOUT_S), "3"], { stdio: ["ignore", "ignore", "inherit", fd] });
      child.once("error", reject);
      child.once("exit", (code) => {
        if (code === 0) resolve();
        else reject(new Error(`another process held ${path} for ${String(LOCK_TIMEOUT_S)} s while building the chroot (flock exit ${String(code)})`));
      });
    });
    await body();
  } finally {
    closeSync(fd);
  }
}

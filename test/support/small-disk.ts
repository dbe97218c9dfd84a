import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A tmpfs of its own that a test can fill up or remount read-only: the disk
 * under a database, in states a real disk reaches only by accident. Needs
 * root (or CAP_SYS_ADMIN); when that is missing the test fails saying so,
 * since a skipped fault test would pass for a check that never ran.
 */
export class SmallDisk {
  private readonly filler: string;
  private mounted = true;

  private constructor(readonly dir: string) {
    this.filler = join(dir, "filler");
  }

  static mount(sizeKiB: number): SmallDisk {
    const dir = mkdtempSync(join(tmpdir(), "porter-disk-"));
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k,mode=0755`, "tmpfs", dir], { encoding: "utf8" });
    if (mounted.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      assert.fail(`cannot create the storage fault: mounting a tmpfs on ${dir} failed (${outcome(mounted)}); these tests need root`);
    }
    return new SmallDisk(dir);
  }

  /**
   * Takes every free block with one file. tmpfs hands out whole pages, so
   * the last writes go byte by byte until not one more fits.
   */
  fill(): void {
    const fd = openSync(this.filler, "a");
    try {
      for (const size of [1 << 20, 4096, 1]) {
        const chunk = Buffer.alloc(size, 0x5a);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
        }
      }
    } finally {
      closeSync(fd);
    }
    assert.equal(statfsSync(this.dir).bavail, 0, `${this.dir} still has free blocks`);
  }

  /** Gives the space back. */
  free(): void {
    rmSync(this.filler, { force: true });
  }

  remount(mode: "ro" | "rw"): void {
    this.run("mount", ["-o", `remount,${mode}`, this.dir], `cannot create the storage fault: remounting ${this.dir} ${mode}`);
  }

  /** Unmounts and removes the mount point; safe to call twice. */
  unmount(): void {
    if (!this.mounted) return;
    this.run("umount", [this.dir], `cannot clean up: unmounting ${this.dir}`);
    this.mounted = false;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(command: string, args: readonly string[], what: string): void {
    const result = spawnSync(command, args, { encoding: "utf8" });
    if (result.status !== 0) assert.fail(`${what} failed (${outcome(result)})`);
  }
}

function outcome(result: ReturnType<typeof spawnSync>): string {
  if (result.error !== undefined) return result.error.message;
  return `exit ${String(result.status)}: ${String(result.stderr).trim()}`;
}

import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const handedOut = new Set<number>();

/**
 * Ports handed out by any test process on this machine, one file per port
 * holding the owner's pid: test files run in parallel, and a port one process
 * found free must not go to another before the first's server binds it.
 */
const CLAIMS = join(tmpdir(), "porter-test-ports");
/** A claim of a process that is gone is taken over only once this old, so no one still starts on it. */
const STALE_CLAIM_MS = 10 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Claims the port for this process, unless another live (or lately ended) process holds it. */
function claim(port: number): boolean {
  const file = join(CLAIMS, String(port));
  mkdirSync(CLAIMS, { recursive: true });
  try {
    writeFileSync(file, String(process.pid), { flag: "wx" });
    return true;
  } catch {
    try {
      const owner = Number(readFileSync(file, "utf8"));
      if (owner === process.pid || alive(owner) || Date.now() - statSync(file).mtimeMs < STALE_CLAIM_MS) return false;
      rmSync(file, { force: true });
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return true;
    } catch {
      return false;
    }
  }
}

process.once("exit", () => {
  for (const port of handedOut) rmSync(join(CLAIMS, String(port)), { force: true });
});

/**
 * A loopback TCP port nobody listens on now, never the same twice in one
 * process, nor to two test processes at once.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => {
          resolve(typeof address === "object" && address !== null ? address.port : 0);
        });
      });
    });
    if (port !== 0 && !handedOut.has(port) && claim(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

/** Polls until every port accepts connections (up = true) or refuses them (up = false). */
export async function waitForPorts(ports: readonly number[], up: boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const states = await Promise.all(ports.map(accepts));
    if (states.every((state) => state === up)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

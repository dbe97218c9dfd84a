import { setTimeout as sleep } from "node:timers/promises";

import { PorterProcess, residentMemoryMiBOf } from "../harness/porter-process.js";
import { startProsody } from "../harness/prosody.js";

export interface IdleRun {
  /** From spawning `porter start` to /healthz answering 200 (stream to the server up, database open). */
  readonly startMs: number;
  /** Resident memory this long after healthy, in MiB. */
  readonly residentMiB: ReadonlyMap<number, number>;
}

export interface IdleResult {
  readonly serverVersion: string;
  readonly runs: readonly IdleRun[];
}

/**
 * Porter as an operator starts it (default log level, a fresh database) against
 * a loopback Prosody 0.12, left alone after it is healthy: how long the start
 * takes, and what it holds resident at each of `afterMs`.
 */
export async function benchIdle(options: { runs: number; afterMs: readonly number[] }): Promise<IdleResult> {
  const server = await startProsody();
  try {
    const runs: IdleRun[] = [];
    for (let n = 0; n < options.runs; n++) {
      const spawned = performance.now();
      const porter = await PorterProcess.start(server, { env: { PORTER_LOG_LEVEL: "info" } });
      try {
        // Polled often: the start time is read to the nearest 10 ms.
        await porter.waitForHealth(200, 30_000, 10);
        const healthy = performance.now();
        const residentMiB = new Map<number, number>();
        for (const after of [...options.afterMs].sort((a, b) => a - b)) {
          await sleep(Math.max(0, healthy + after - performance.now()));
          const mib = residentMemoryMiBOf(porter.pid);
          if (mib === undefined || !porter.running) throw new Error(`Porter is gone:\n${porter.output()}`);
          residentMiB.set(after, mib);
        }
        runs.push({ startMs: healthy - spawned, residentMiB });
      } finally {
        await porter.destroy();
      }
    }
    return { serverVersion: server.version, runs };
  } finally {
    await server.destroy();
  }
}

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Server gone or restarting: come back quickly, so users barely notice. */
export const TRANSIENT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };
/**
 * The server refused us (wrong secret, another instance connected): retrying
 * fast only fills both logs, but the operator may fix the server side without
 * touching Porter, so it keeps trying at a patient pace.
 */
export const REFUSED_BACKOFF: BackoffPolicy = { initialMs: 5_000, maxMs: 60_000 };

/**
 * Delay before reconnect attempt number `attempt` (1-based): exponential growth
 * capped at maxMs, with "equal jitter" (half fixed, half random) so that several
 * sidecars of one restarted server do not reconnect in lockstep.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

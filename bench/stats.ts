/** The value below which `fraction` of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface Summary {
  readonly executions: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function summarise(latenciesMs: readonly number[], errors: number, seconds: number): Summary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    executions: sorted.length,
    errors,
    seconds,
    perSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

/**
 * Rounds measured by a tool that reports its own percentiles: counts and
 * rates are summed, and each percentile is the worst of the rounds' (an upper
 * bound, since percentiles of separate rounds cannot be merged exactly).
 */
export function combine(rounds: readonly Summary[]): Summary {
  const executions = rounds.reduce((sum, round) => sum + round.executions, 0);
  const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
  return {
    executions,
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    seconds,
    perSecond: executions / seconds,
    p50Ms: Math.max(...rounds.map((round) => round.p50Ms)),
    p99Ms: Math.max(...rounds.map((round) => round.p99Ms)),
  };
}

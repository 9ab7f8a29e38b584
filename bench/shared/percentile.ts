/**
 * The nearest-rank percentile of `sorted` (ascending): the smallest value with at least `fraction`
 * of the values at or below it, so p99 of 100 values is the 99th. One function for the benches that
 * print percentiles of their own samples, so a p99 means the same in each. NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length))) - 1]!;
}

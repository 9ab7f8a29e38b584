/**
 * Milliseconds on the system's monotonic clock (CLOCK_MONOTONIC, which `process.hrtime` reads on
 * Linux): one clock for every process of a run, so a consumer process's instants compare with the
 * producer's. `performance.now()` counts from each process's own start and would not.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

import { PerformanceObserver } from 'node:perf_hooks';
import { monotonicMs } from './monotonic-clock.ts';

/**
 * A process's GC pauses and event-loop stalls over 5 ms, on the shared monotonic clock (for
 * BENCH_TRACE). A stall carries the CPU the process used meanwhile: near the stall's length when
 * its own work held the loop, near zero when it waited for a core.
 */
export function loopTrace() {
  const gcs: [start: number, duration: number, kind: number][] = [];
  const stalls: [at: number, late: number, cpuMs: number][] = [];
  const origin = monotonicMs() - performance.now();
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      gcs.push([
        entry.startTime + origin,
        entry.duration,
        (entry as { detail?: { kind?: number } }).detail?.kind ?? 0,
      ]);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  let expected = monotonicMs() + 2;
  let cpu = process.cpuUsage();
  const ticker = setInterval(() => {
    const now = monotonicMs();
    const used = process.cpuUsage(cpu);
    if (now - expected > 5) stalls.push([now, now - expected, (used.user + used.system) / 1000]);
    cpu = process.cpuUsage();
    expected = now + 2;
  }, 2);
  return {
    /** Stops watching and answers what was seen. */
    stop() {
      clearInterval(ticker);
      gcObserver.disconnect();
      return { gcs, stalls };
    },
  };
}

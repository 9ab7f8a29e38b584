// Loaded into each gateway with `--import` when BENCH_GATEWAY_PROBE is set (issue 21, the identical
// gateways): counts the process's garbage collections by kind and, on SIGUSR2, writes them with its
// own CPU (process.cpuUsage) and heap figures to <BENCH_GATEWAY_PROBE>/probe-<pid>.json, so the
// bench reads them before and after each row's window.
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const dir = process.env.BENCH_GATEWAY_PROBE!;
const gc = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0, other: 0, otherMs: 0 };
// The longest scavenge and the scavenges over 5 ms since the last snapshot: a process whose
// scavenges keep what should die (ADR 0084's chained Map tables) shows as long ones, not more.
let scavengeMaxMs = 0;
let longScavenges = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as unknown as { detail: { kind: number } }).detail.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gc.scavenges += 1;
      gc.scavengeMs += entry.duration;
      if (entry.duration > scavengeMaxMs) scavengeMaxMs = entry.duration;
      if (entry.duration > 5) longScavenges += 1;
    } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      gc.markCompacts += 1;
      gc.markCompactMs += entry.duration;
    } else {
      gc.other += 1;
      gc.otherMs += entry.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });
let seq = 0;
process.on('SIGUSR2', () => {
  seq += 1;
  const cpu = process.cpuUsage();
  const heap = getHeapStatistics();
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
  writeFileSync(
    `${dir}/probe-${process.pid}.json`,
    JSON.stringify({
      seq,
      ...gc,
      scavengeMaxMs,
      longScavenges,
      cpuUs: cpu.user + cpu.system,
      heapUsed: heap.used_heap_size,
      heapTotal: heap.total_heap_size,
      newSpace,
    }),
  );
  scavengeMaxMs = 0;
  longScavenges = 0;
});

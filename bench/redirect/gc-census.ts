// Loaded with --import into the redirect process by run.ts, so into each of its threads (the
// serving thread and the link events thread): counts that thread's garbage collections by kind and
// reads its CPU, and writes them to <BENCH_REDIRECT_GC_DIR>/<pid>-<threadId>.json ten times a
// second, where run.ts reads them before and after each row. The eleventh pass found the link events thread's
// full collections to be most of the CPU beyond the floor; this keeps them counted in every run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { isMainThread, threadId } from 'node:worker_threads';
import { noCounts } from './gc-counts.ts';

const dir = process.env.BENCH_REDIRECT_GC_DIR;
if (dir !== undefined) {
  const counts = noCounts(isMainThread ? 'serving' : `worker ${threadId}`);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.scavenges += 1;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.markCompacts += 1;
      else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) counts.incremental += 1;
      else counts.other += 1;
      counts.ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const file = join(dir, `${process.pid}-${threadId}.json`);
  setInterval(() => {
    const cpu = process.threadCpuUsage();
    counts.cpuMicros = cpu.user + cpu.system;
    writeFileSync(file, JSON.stringify(counts));
  }, 100).unref();
}

import { appendFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { threadTicks } from '../shared/process-cpu.ts';

/**
 * With BENCH_CLIENT_DIAG=<file>, a client process appends one JSON line per measured window:
 * scavenges and full collections in it (count, ms), the young generation's size at its end, and
 * the CPU each of its threads used in it (main thread, V8's GC helpers, libuv's pool). For telling
 * why two rows' clients differ in CPU a call.
 */
const file = process.env.BENCH_CLIENT_DIAG;

/** Each thread's CPU ticks so far by thread name (the main thread as 'main'; same-named threads summed). */
function ticksByThread(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const { tid, name, ticks } of threadTicks(process.pid)) {
    const key = tid === process.pid ? 'main' : name;
    byName.set(key, (byName.get(key) ?? 0) + ticks);
  }
  return byName;
}

function youngGeneration(): Record<string, number> {
  const spaces: Record<string, number> = {};
  for (const space of getHeapSpaceStatistics())
    if (space.space_name === 'new_space' || space.space_name === 'old_space')
      spaces[space.space_name] = Math.round(space.space_size / 1024);
  return spaces;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Bytes sampled per allocation stack (three frames deep), largest first. */
function topSites(root: ProfileNode): [string, number][] {
  const sites = new Map<string, number>();
  const walk = (node: ProfileNode, stack: string[]): void => {
    const frame = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;
    const here = [frame, ...stack].slice(0, 4);
    if (node.selfSize > 0) sites.set(here.join(' < '), (sites.get(here.join(' < ')) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, here);
  };
  walk(root, []);
  return [...sites].sort((a, b) => b[1] - a[1]).slice(0, 25);
}

export function windowDiagnostics(peer: string): { stop(calls: number): Promise<void> } {
  if (file === undefined) return { stop: async () => undefined };
  let session: Session | undefined;
  if (process.env.BENCH_CLIENT_HEAPPROF !== undefined) {
    session = new Session();
    session.connect();
    // Sampled allocations that survive a scavenge (promoted or still young at the end).
    void session.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: false,
    });
  }
  const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0, other: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minor += 1;
        gc.minorMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.major += 1;
        gc.majorMs += entry.duration;
      } else gc.other += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const before = ticksByThread();
  const heapBefore = youngGeneration();
  return {
    async stop(calls) {
      observer.disconnect();
      let survivors: [string, number][] | undefined;
      if (session !== undefined) {
        const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
          profile: { head: ProfileNode };
        };
        survivors = topSites(profile.head);
        session.disconnect();
      }
      const after = ticksByThread();
      const threads: Record<string, number> = {};
      for (const [name, ticks] of after) threads[name] = ticks - (before.get(name) ?? 0);
      const line = {
        peer,
        execArgv: process.execArgv,
        calls,
        gc: { ...gc, minorMs: Math.round(gc.minorMs), majorMs: Math.round(gc.majorMs) },
        heapBeforeKB: heapBefore,
        heapAfterKB: youngGeneration(),
        threadTicks: threads,
        survivors,
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    },
  };
}

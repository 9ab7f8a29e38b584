// What gc-census.ts counts in each thread of the redirect and thread-census.ts sums over rows.

/** One thread's collections so far. */
export interface GcCounts {
  readonly thread: string;
  scavenges: number;
  markCompacts: number;
  /** Incremental marking steps: the start of a mark-compact, counted apart from it. */
  incremental: number;
  other: number;
  /** Wall ms the thread spent in them (the GC helpers' work beside it is not in it). */
  ms: number;
  /** The thread's own CPU (user + system) so far, µs: not V8's helper threads, not libuv's pool. */
  cpuMicros: number;
}

/** Every figure of GcCounts, each a running total. */
export const COUNTED = ['scavenges', 'markCompacts', 'incremental', 'other', 'ms', 'cpuMicros'] as const;

/** A thread's counts before anything was counted. */
export function noCounts(thread: string): GcCounts {
  return { thread, scavenges: 0, markCompacts: 0, incremental: 0, other: 0, ms: 0, cpuMicros: 0 };
}

// What run.ts reads of gc-census.ts' files: the redirect process's collections and CPU by thread,
// summed over the rows, and the lines it prints of them.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COUNTED, noCounts, type GcCounts } from './gc-counts.ts';

type ByThread = Map<string, GcCounts>;

export class ThreadCensus {
  readonly #dir: string;
  #pid: number | undefined;
  /** Summed over the redirect's own rows and over every row. */
  readonly #own: ByThread = new Map();
  readonly #all: ByThread = new Map();
  #ownRequests = 0;
  #ownProcessMicros = 0;

  /** Its files go to `dir`, made here. */
  constructor(dir: string) {
    mkdirSync(dir);
    this.#dir = dir;
  }

  /** What the redirect process is started with so each of its threads counts (gc-census.ts). */
  nodeArgs(): string[] {
    return ['--import', pathToFileURL(new URL('gc-census.ts', import.meta.url).pathname).href];
  }

  /** The environment it reads where to write. */
  env(): Record<string, string> {
    return { BENCH_REDIRECT_GC_DIR: this.#dir };
  }

  /** Whose files to read: the redirect process's. */
  watch(pid: number): void {
    this.#pid = pid;
  }

  /** Each thread's collections and CPU so far (as of its last write, ≤ 0.1 s old). */
  read(): ByThread {
    const byThread: ByThread = new Map();
    for (const file of readdirSync(this.#dir)) {
      if (!file.startsWith(`${this.#pid}-`)) continue;
      try {
        const counts = JSON.parse(readFileSync(join(this.#dir, file), 'utf8')) as GcCounts;
        byThread.set(counts.thread, counts);
      } catch {
        // Being written: read again at the next row.
      }
    }
    return byThread;
  }

  /** Adds a row: `own` when the redirect answered it, with its requests and the process's CPU µs. */
  addRow(own: boolean, before: ByThread, after: ByThread, requests: number, processMicros: number): void {
    add(this.#all, before, after);
    if (!own) return;
    add(this.#own, before, after);
    this.#ownRequests += requests;
    this.#ownProcessMicros += processMicros;
  }

  lines(): string[] {
    const lines = (
      [
        ["the redirect's own rows", this.#own],
        ['every row', this.#all],
      ] as const
    ).map(([during, counts]) => {
      const threads = [...counts.values()].map(
        (gc) =>
          `${gc.thread} ${gc.scavenges} scavenges, ${gc.markCompacts} mark-compacts (${gc.incremental} incremental marking steps), ${gc.other} other, ${gc.ms.toFixed(0)} ms`,
      );
      return `redirect process collections during ${during} (by thread): ${threads.join('; ')}`;
    });
    // What is not the two threads' own is V8's helper threads (GC, compilers) and libuv's pool.
    const threads = [...this.#own.values()].map((gc) => [gc.thread, gc.cpuMicros] as const);
    const rest = this.#ownProcessMicros - threads.reduce((sum, [, cpu]) => sum + cpu, 0);
    const perRequest = [...threads, ['the rest (GC helpers, pool)', rest] as const]
      .map(([thread, cpu]) => `${thread} ${(cpu / this.#ownRequests).toFixed(2)}`)
      .join('; ');
    lines.push(`strata redirect CPU µs per request by thread, both strata rows: ${perRequest}`);
    return lines;
  }
}

function add(into: ByThread, before: ByThread, after: ByThread): void {
  for (const [thread, now] of after) {
    const then = before.get(thread);
    const sum = into.get(thread) ?? noCounts(thread);
    for (const figure of COUNTED) sum[figure] += now[figure] - (then?.[figure] ?? 0);
    into.set(thread, sum);
  }
}

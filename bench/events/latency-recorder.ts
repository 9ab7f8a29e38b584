import { monotonicMs } from './monotonic-clock.ts';

/** Start and end instants per message (ms on the shared monotonic clock), summarised as throughput and percentiles. */
export class LatencyRecorder {
  readonly #started = new Map<string, number>();
  readonly #latenciesMs: number[] = [];
  readonly #samples: [startedAt: number, latencyMs: number][] = [];
  #first: number | undefined;
  #last: number | undefined;
  readonly #expected: number;
  #resolveDone!: () => void;
  readonly done: Promise<void>;

  constructor(expected: number) {
    this.#expected = expected;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  start(key: string): void {
    const now = monotonicMs();
    this.#first ??= now;
    this.#started.set(key, now);
  }

  /** `at` is when the consumer handled it, taken where it ran (possibly another process). */
  end(key: string, at: number = monotonicMs()): void {
    const started = this.#started.get(key);
    // The consumer can see a message before the producer's call returned; count it as zero.
    const latency = started === undefined ? 0 : Math.max(0, at - started);
    this.#latenciesMs.push(latency);
    this.#samples.push([started ?? at, latency]);
    this.#started.delete(key);
    this.#last = this.#last === undefined ? at : Math.max(this.#last, at);
    if (this.#latenciesMs.length === this.#expected) this.#resolveDone();
  }

  /** Every message's start instant and latency, for a trace file (BENCH_TRACE). */
  samples(): readonly [number, number][] {
    return this.#samples;
  }

  summary(): { perSecond: number; p50: number; p99: number; count: number } {
    const sorted = [...this.#latenciesMs].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const seconds =
      this.#first !== undefined && this.#last !== undefined ? (this.#last - this.#first) / 1000 : 0;
    return {
      perSecond: seconds > 0 ? sorted.length / seconds : 0,
      p50: at(0.5),
      p99: at(0.99),
      count: sorted.length,
    };
  }
}

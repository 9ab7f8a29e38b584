/** Start and end instants per message, summarised as throughput and percentiles. */
export class LatencyRecorder {
  readonly #started = new Map<string, bigint>();
  readonly #latenciesMs: number[] = [];
  #first: bigint | undefined;
  #last: bigint | undefined;
  readonly #expected: number;
  #resolveDone!: () => void;
  readonly done: Promise<void>;

  constructor(expected: number) {
    this.#expected = expected;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  start(key: string): void {
    const now = process.hrtime.bigint();
    this.#first ??= now;
    this.#started.set(key, now);
  }

  end(key: string): void {
    const now = process.hrtime.bigint();
    const started = this.#started.get(key);
    // The consumer can see a message before the producer's call returned; count it as zero.
    this.#latenciesMs.push(started === undefined ? 0 : Math.max(0, Number(now - started) / 1e6));
    this.#started.delete(key);
    this.#last = now;
    if (this.#latenciesMs.length === this.#expected) this.#resolveDone();
  }

  summary(): { perSecond: number; p50: number; p99: number; count: number } {
    const sorted = [...this.#latenciesMs].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const seconds =
      this.#first !== undefined && this.#last !== undefined ? Number(this.#last - this.#first) / 1e9 : 0;
    return {
      perSecond: seconds > 0 ? sorted.length / seconds : 0,
      p50: at(0.5),
      p99: at(0.99),
      count: sorted.length,
    };
  }
}

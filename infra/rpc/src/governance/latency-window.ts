/**
 * The most recent call latencies to one service, for choosing when a backup request is worth sending.
 *
 * Every hedged call asks for a percentile, so the window keeps its samples sorted as they come and
 * go (two binary searches and a shift of at most `size` numbers per sample) and answers by index.
 * Sorting a copy per call instead cost ~13 µs of a query's ~20 µs in the invoker, and was most of
 * what hedging cost learner-api per cache miss (bench/README.md, bench:read, 2026-12-06 evening).
 */
export class LatencyWindow {
  /** The samples in arrival order, a ring: the oldest is the next to be replaced. */
  readonly #samples: Float64Array;
  /** The same samples in ascending order, in the first #count places. */
  readonly #sorted: Float64Array;
  #count = 0;
  #next = 0;

  constructor(size = 256) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`size must be a positive integer, got ${size}`);
    this.#samples = new Float64Array(size);
    this.#sorted = new Float64Array(size);
  }

  get count(): number {
    return this.#count;
  }

  record(latencyMs: number): void {
    // A NaN would have no place in the order; a latency is a difference of two clock readings.
    if (Number.isNaN(latencyMs)) return;
    const sorted = this.#sorted;
    let count = this.#count;
    if (count === this.#samples.length) {
      const at = firstAtLeast(sorted, count, this.#samples[this.#next]!);
      sorted.copyWithin(at, at + 1, count);
      count -= 1;
    }
    const at = firstAtLeast(sorted, count, latencyMs);
    sorted.copyWithin(at + 1, at, count);
    sorted[at] = latencyMs;
    this.#count = count + 1;
    this.#samples[this.#next] = latencyMs;
    this.#next = (this.#next + 1) % this.#samples.length;
  }

  /** Nearest-rank percentile (0 < p ≤ 100) of the window; undefined while empty. */
  percentile(p: number): number | undefined {
    if (this.#count === 0) return undefined;
    const rank = Math.min(this.#count, Math.max(1, Math.ceil((p / 100) * this.#count)));
    return this.#sorted[rank - 1];
  }
}

/** The first index in `sorted[0, count)` whose value is not below `value` (count when none). */
function firstAtLeast(sorted: Float64Array, count: number, value: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

import type { Metric, Registry } from 'prom-client';

/** One label set's observations: a count per bucket (the last one past every bound), their sum and count. */
export class HistogramCell {
  readonly labels: Readonly<Record<string, string>>;
  readonly #bounds: readonly number[];
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(labels: Readonly<Record<string, string>>, bounds: readonly number[]) {
    this.labels = labels;
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.#bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket += 1;
    this.counts[bucket]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

interface ExportedValue {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/**
 * A Prometheus histogram for the hot paths (every RPC call, every HTTP request). prom-client's
 * child `observe` validates and hashes the labels on each call (about 2 µs); a cell here is found
 * once and then costs a bucket scan and three additions. The cells are rendered only when
 * scraped, in the text prom-client's registry writes for any metric whose `get()` it calls.
 */
export class LeanHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #cells: HistogramCell[] = [];

  constructor(options: { name: string; help: string; buckets: readonly number[]; registry: Registry }) {
    this.name = options.name;
    this.help = options.help;
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
    options.registry.registerMetric(this as unknown as Metric);
  }

  /** A new cell for this label set; the caller keeps it (one per label set). */
  cell(labels: Readonly<Record<string, string>>): HistogramCell {
    const cell = new HistogramCell(labels, this.#bounds);
    this.#cells.push(cell);
    return cell;
  }

  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: ExportedValue[];
  }> {
    const values: ExportedValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const cell of this.#cells) {
      let cumulative = 0;
      this.#bounds.forEach((bound, index) => {
        cumulative += cell.counts[index]!;
        values.push({ value: cumulative, labels: { ...cell.labels, le: bound }, metricName: bucket });
      });
      values.push(
        { value: cell.count, labels: { ...cell.labels, le: '+Inf' }, metricName: bucket },
        { value: cell.sum, labels: { ...cell.labels }, metricName: `${this.name}_sum` },
        { value: cell.count, labels: { ...cell.labels }, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const cell of this.#cells) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}

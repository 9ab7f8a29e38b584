import type { Metric, Registry } from 'prom-client';

/** One label set's count. */
export class CounterCell {
  readonly labels: Readonly<Record<string, string>>;
  value = 0;

  constructor(labels: Readonly<Record<string, string>>) {
    this.labels = labels;
  }

  inc(by = 1): void {
    this.value += by;
  }
}

/**
 * A Prometheus counter for the hot paths, as `LeanHistogram` is a histogram: prom-client's child
 * `inc` hashes its labels on every call; a cell here is found once and then costs an addition.
 * `name` ends in `_total`, as the text format wants it written.
 */
export class LeanCounter {
  readonly name: string;
  readonly help: string;
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly #cells: CounterCell[] = [];

  constructor(options: { name: string; help: string; registry: Registry }) {
    this.name = options.name;
    this.help = options.help;
    options.registry.registerMetric(this as unknown as Metric);
  }

  /** A new cell for this label set; the caller keeps it (one per label set). */
  cell(labels: Readonly<Record<string, string>>): CounterCell {
    const cell = new CounterCell(labels);
    this.#cells.push(cell);
    return cell;
  }

  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: { value: number; labels: Record<string, string> }[];
  }> {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.#cells.map((cell) => ({ value: cell.value, labels: { ...cell.labels } })),
    };
  }

  reset(): void {
    for (const cell of this.#cells) cell.value = 0;
  }
}

/**
 * The children of a labelled metric, by their label values, made once: prom-client hashes the
 * labels on every `labels(...)` call, which costs more than the increment. Nested maps find a child
 * without concatenating a key, so a hot path allocates nothing once its label sets are seen.
 */
export class LabelledChildren<Child> {
  readonly #make: (first: string, second: string, third: string) => Child;
  readonly #children = new Map<string, Map<string, Map<string, Child>>>();

  constructor(make: (first: string, second: string, third: string) => Child) {
    this.#make = make;
  }

  get(first: string, second: string, third: string): Child {
    let level = this.#children.get(first);
    if (level === undefined) this.#children.set(first, (level = new Map()));
    let leaves = level.get(second);
    if (leaves === undefined) level.set(second, (leaves = new Map()));
    let child = leaves.get(third);
    if (child === undefined) leaves.set(third, (child = this.#make(first, second, third)));
    return child;
  }
}

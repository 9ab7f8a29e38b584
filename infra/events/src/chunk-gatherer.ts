/**
 * Gathers the chunks handed in during one turn of the event loop and processes them in one call.
 * kafkajs hands a fetch's partition batches to its workers at once, each partition's `eachBatch`
 * reaching its first chunk in the same turn; processing them together makes one inbox transaction
 * per fetch instead of one per partition. The chunks are concatenated in arrival order, so each
 * partition's messages keep their offset order. Every chunk of a call shares its outcome: if the
 * call rejects, every partition in it is delivered again (the inbox absorbs what it recorded).
 */
export class ChunkGatherer<T> {
  readonly #process: (items: T[]) => Promise<void>;
  #waiting: { items: readonly T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(process: (items: T[]) => Promise<void>) {
    this.#process = process;
  }

  /** Resolves once `items` were processed together with whatever else arrived in this turn. */
  submit(items: readonly T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ items, resolve, reject });
      // setImmediate runs after the microtasks that bring the other partitions' chunks.
      if (this.#waiting.length === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const chunks = this.#waiting;
    this.#waiting = [];
    try {
      await this.#process(chunks.flatMap((chunk) => chunk.items));
      for (const chunk of chunks) chunk.resolve();
    } catch (error) {
      for (const chunk of chunks) chunk.reject(error);
    }
  }
}

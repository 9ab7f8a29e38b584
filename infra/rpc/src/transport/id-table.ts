/**
 * The calls in flight on one connection, by request id (a 32-bit unsigned integer): a hash table
 * with open addressing over two arrays that only grow, instead of a `Map`.
 *
 * Why not a `Map` (ADR 0084): a `Map` that lives as long as its connection and has an entry added
 * and deleted per call gets a new backing table every few dozen calls, and V8 links each old
 * table to its successor (for iterators still walking it). Once one of those tables has reached
 * the old generation (a full collection, or a pause while calls were in flight, is enough) every
 * scavenge finds the next table through that dead table's link and keeps it, with every call it
 * held, until the next full collection: the chain never ends, so every call's request, promise
 * and decoded answer is copied and promoted. On bench:rpc that was a client process at 23–31 µs
 * of CPU a call instead of 14–17, at random from one process to the next. These arrays are
 * replaced only when they grow and never point at their successors, so nothing chains.
 */
export class IdTable<T> {
  #ids = new Float64Array(16);
  #values: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  #mask = 15;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(id: number): boolean {
    return this.#indexOf(id) >= 0;
  }

  get(id: number): T | undefined {
    const index = this.#indexOf(id);
    return index < 0 ? undefined : this.#values[index];
  }

  /** Adds or replaces the value under `id`; `value` must not be undefined. */
  set(id: number, value: T): void {
    // One probe finds either the id or the free slot it would take (a call per request: no second walk).
    const values = this.#values;
    const mask = this.#mask;
    let index = id & mask;
    while (values[index] !== undefined) {
      if (this.#ids[index] === id) {
        values[index] = value;
        return;
      }
      index = (index + 1) & mask;
    }
    this.#size += 1;
    // At most half full, so probes stay short; growing places every entry anew, this one too.
    if (this.#size * 2 > values.length) {
      this.#grow();
      this.#place(id, value);
      return;
    }
    this.#ids[index] = id;
    values[index] = value;
  }

  delete(id: number): boolean {
    let hole = this.#indexOf(id);
    if (hole < 0) return false;
    const values = this.#values;
    const ids = this.#ids;
    const mask = this.#mask;
    values[hole] = undefined;
    this.#size -= 1;
    // Backward-shift deletion: an entry further along the run moves into the hole if its home
    // slot is not between the hole and itself, so every entry stays reachable from its home.
    for (let next = (hole + 1) & mask; values[next] !== undefined; next = (next + 1) & mask) {
      const home = ids[next]! & mask;
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      ids[hole] = ids[next]!;
      values[hole] = values[next];
      values[next] = undefined;
      hole = next;
    }
    return true;
  }

  /** The values in the table now, as an array of their own: the caller may change the table while going through it. */
  values(): T[] {
    const values: T[] = [];
    for (const value of this.#values) if (value !== undefined) values.push(value);
    return values;
  }

  /** The ids and values in the table now, as an array of their own, like `values()`. */
  entries(): [number, T][] {
    const entries: [number, T][] = [];
    this.#values.forEach((value, index) => {
      if (value !== undefined) entries.push([this.#ids[index]!, value]);
    });
    return entries;
  }

  clear(): void {
    this.#values.fill(undefined);
    this.#size = 0;
  }

  #indexOf(id: number): number {
    const values = this.#values;
    const mask = this.#mask;
    for (let index = id & mask; values[index] !== undefined; index = (index + 1) & mask)
      if (this.#ids[index] === id) return index;
    return -1;
  }

  #place(id: number, value: T): void {
    let index = id & this.#mask;
    while (this.#values[index] !== undefined) index = (index + 1) & this.#mask;
    this.#ids[index] = id;
    this.#values[index] = value;
  }

  #grow(): void {
    const ids = this.#ids;
    const values = this.#values;
    const capacity = values.length * 2;
    this.#ids = new Float64Array(capacity);
    this.#values = new Array<T | undefined>(capacity).fill(undefined);
    this.#mask = capacity - 1;
    for (let index = 0; index < values.length; index++)
      if (values[index] !== undefined) this.#place(ids[index]!, values[index]!);
  }
}

/**
 * Where the visit shipper writes its messages' values: one region, written over from its start in
 * each round once the broker acknowledged everything written in it before. Shipping's garbage is
 * mostly large buffers, and a message's value (~250 KB of visits' JSON) was a new one each time;
 * V8 counts such buffers' bytes as external memory, and when they pile up faster than collections
 * free them it asks for a full mark-compact of the thread's heap (bench README, "Issue 19,
 * eleventh pass"). A value that does not fit in what is left of the region gets a buffer of its
 * own, as every value did before.
 */
export class ReusedValueBytes {
  readonly #capacity: number;
  #region: Buffer | undefined;
  #used = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The parts, in order, in one buffer: a slice of the region, as written until the next reuse(). */
  readonly join = (parts: readonly Buffer[], length: number): Buffer => {
    if (this.#used + length > this.#capacity) return Buffer.concat(parts, length);
    // Its own memory, not the pool's: the region lives as long as the shipper.
    this.#region ??= Buffer.allocUnsafeSlow(this.#capacity);
    const start = this.#used;
    for (const part of parts) this.#used += part.copy(this.#region, this.#used);
    return this.#region.subarray(start, this.#used);
  };

  /** Nothing joined so far is read any more (the broker acknowledged it): the region is written anew. */
  reuse(): void {
    this.#used = 0;
  }

  /**
   * What was joined may still be read (a producer whose publish failed may still be sending it):
   * the region is left to those slices and never written again; the next join takes a new one.
   */
  abandon(): void {
    this.#region = undefined;
    this.#used = 0;
  }
}

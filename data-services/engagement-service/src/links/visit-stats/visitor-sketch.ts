/**
 * A HyperLogLog sketch of visitor fingerprints: how many different visitors, estimated within about
 * 3 % (1.04/√1024), in 1,024 one-byte registers whatever the number of visitors. Sketches of several
 * hours merge (register by register, the larger wins) into the sketch of the whole span, so a
 * visitor who came back every hour counts once there, which adding hourly counts could not do.
 *
 * The fingerprint is already a keyed SHA-256 (LinkVisited.visitorHash), so its bits are uniform and
 * serve as the hash directly: the first 10 bits pick the register, the next 32 give the rank.
 */
export class VisitorSketch {
  static readonly REGISTERS = 1_024;
  readonly #registers: Uint8Array;

  private constructor(registers: Uint8Array) {
    this.#registers = registers;
  }

  static empty(): VisitorSketch {
    return new VisitorSketch(new Uint8Array(VisitorSketch.REGISTERS));
  }

  /** From `toBase64`; an empty or malformed text is an empty sketch (a row written before a visit). */
  static fromBase64(text: string | null | undefined): VisitorSketch {
    const bytes = text ? Buffer.from(text, 'base64') : Buffer.alloc(0);
    return bytes.length === VisitorSketch.REGISTERS
      ? new VisitorSketch(new Uint8Array(bytes))
      : VisitorSketch.empty();
  }

  /** `fingerprint` is 64 lower-case hex digits. */
  add(fingerprint: string): void {
    const index = Number.parseInt(fingerprint.slice(0, 3), 16) >> 2;
    const rest = Number.parseInt(fingerprint.slice(3, 11), 16);
    const rank = Math.clz32(rest) + 1;
    if (rank > this.#registers[index]!) this.#registers[index] = rank;
  }

  merge(other: VisitorSketch): void {
    for (let index = 0; index < VisitorSketch.REGISTERS; index += 1) {
      const theirs = other.#registers[index]!;
      if (theirs > this.#registers[index]!) this.#registers[index] = theirs;
    }
  }

  /** The estimate, rounded: linear counting while many registers are empty, HyperLogLog's beyond. */
  estimate(): number {
    const m = VisitorSketch.REGISTERS;
    let sum = 0;
    let empty = 0;
    for (const register of this.#registers) {
      sum += 2 ** -register;
      if (register === 0) empty += 1;
    }
    const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
    if (raw <= 2.5 * m && empty > 0) return Math.round(m * Math.log(m / empty));
    return Math.round(raw);
  }

  toBase64(): string {
    return Buffer.from(this.#registers).toString('base64');
  }
}

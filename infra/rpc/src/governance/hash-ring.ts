import { createHash } from 'node:crypto';

function point(text: string): number {
  return createHash('md5').update(text).digest().readUInt32BE(0);
}

/**
 * Consistent hashing with virtual nodes: each member owns many points on a 32-bit ring, a key
 * belongs to the first member point at or after its own. When a member joins or leaves, only
 * the keys between its points and their predecessors move (about 1/n of them); the rest stay.
 */
export class HashRing {
  readonly #points: Uint32Array;
  readonly #owners: string[];

  constructor(members: readonly string[], virtualNodes: number) {
    const entries: { point: number; member: string }[] = [];
    for (const member of members) {
      for (let replica = 0; replica < virtualNodes; replica++) {
        entries.push({ point: point(`${member}#${replica}`), member });
      }
    }
    // Ties are broken by member id so every client builds the identical ring.
    entries.sort((x, y) => x.point - y.point || (x.member < y.member ? -1 : x.member > y.member ? 1 : 0));
    this.#points = Uint32Array.from(entries, (entry) => entry.point);
    this.#owners = entries.map((entry) => entry.member);
  }

  /** The member that owns `key`, or undefined for an empty ring. */
  owner(key: string): string | undefined {
    if (this.#owners.length === 0) return undefined;
    const target = point(key);
    let low = 0;
    let high = this.#points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#points[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return this.#owners[low === this.#points.length ? 0 : low];
  }
}

import { describe, expect, it } from '@jest/globals';
import { IdTable } from '../../src/transport/id-table.ts';

/** A small deterministic generator, so a failure names the seed that found it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Drives an IdTable and a Map with the same operations and compares them after each one. */
function compareWithMap(seed: number, pickId: (next: () => number) => number, steps: number): void {
  const next = random(seed);
  const table = new IdTable<string>();
  const model = new Map<number, string>();
  for (let step = 0; step < steps; step++) {
    const id = pickId(next);
    const roll = next();
    if (roll < 0.5) {
      table.set(id, `v${step}`);
      model.set(id, `v${step}`);
    } else {
      expect(table.delete(id)).toBe(model.delete(id));
    }
    expect(table.size).toBe(model.size);
    expect(table.has(id)).toBe(model.has(id));
    expect(table.get(id)).toBe(model.get(id));
    if (step % 97 === 0) {
      for (const [known, value] of model) expect(table.get(known)).toBe(value);
      expect(table.entries().sort((a, b) => a[0] - b[0])).toEqual([...model].sort((a, b) => a[0] - b[0]));
      expect(table.values().sort()).toEqual([...model.values()].sort());
    }
  }
}

describe('IdTable', () => {
  it.each([1, 2, 3])('answers as a Map does for ids that share their low bits (seed %i)', (seed) => {
    // Every id a multiple of 64: all of them start probing at the same slot until the table is large.
    compareWithMap(seed, (next) => Math.floor(next() * 200) * 64, 4_000);
  });

  it.each([4, 5])('answers as a Map does for any 32-bit id (seed %i)', (seed) => {
    compareWithMap(seed, (next) => Math.floor(next() * 0x1_0000_0000), 4_000);
  });

  it('keeps calls in flight as a connection does: sequential ids, the oldest answered first, wrapping past 2^32 - 1', () => {
    const table = new IdTable<number>();
    const inFlight: number[] = [];
    let id = 0xffff_ffff - 500;
    for (let call = 0; call < 5_000; call++) {
      id = id === 0xffff_ffff ? 1 : id + 1;
      table.set(id, call);
      inFlight.push(id);
      if (inFlight.length > 64) expect(table.delete(inFlight.shift()!)).toBe(true);
    }
    expect(table.size).toBe(64);
    expect(inFlight.map((pending) => table.has(pending))).toEqual(inFlight.map(() => true));
    table.clear();
    expect(table.size).toBe(0);
    expect(table.get(inFlight[0]!)).toBeUndefined();
  });
});

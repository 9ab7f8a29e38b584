import { describe, expect, it } from '@jest/globals';
import { ChunkGatherer } from '../src/chunk-gatherer.ts';

describe('a chunk gatherer', () => {
  it('processes the chunks handed in during one turn in one call, in arrival order', async () => {
    const calls: number[][] = [];
    const gatherer = new ChunkGatherer<number>(async (items) => {
      calls.push(items);
    });
    await Promise.all([gatherer.submit([1, 2]), gatherer.submit([10]), gatherer.submit([20, 21])]);
    await gatherer.submit([3]);
    expect(calls).toEqual([[1, 2, 10, 20, 21], [3]]);
  });

  it('rejects every chunk of a call that failed, and starts afresh for the next', async () => {
    let fail = true;
    const gatherer = new ChunkGatherer<string>(async (items) => {
      if (fail) throw new Error(`refused ${items.join(',')}`);
    });
    const outcomes = await Promise.allSettled([gatherer.submit(['a']), gatherer.submit(['b'])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('refused a,b'));
    fail = false;
    await expect(gatherer.submit(['c'])).resolves.toBeUndefined();
  });
});

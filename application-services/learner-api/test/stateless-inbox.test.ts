import { describe, expect, it } from '@jest/globals';
import { StatelessInbox } from '../src/stateless-inbox.ts';

describe('the stateless inbox', () => {
  it("starts a batch's works in order without waiting for each, and answers each handled", async () => {
    const steps: string[] = [];
    const work = (name: string) => async () => {
      steps.push(`start ${name}`);
      // A handler's I/O: its answer comes in a later turn.
      await new Promise((resolve) => setImmediate(resolve));
      steps.push(`end ${name}`);
    };
    const outcomes = await new StatelessInbox().handleBatchOnce('group', [
      { eventId: 'a', work: work('a') },
      { eventId: 'b', work: work('b') },
      { eventId: 'c', work: work('c') },
    ]);
    expect(outcomes).toEqual(['handled', 'handled', 'handled']);
    expect(steps).toEqual(['start a', 'start b', 'start c', 'end a', 'end b', 'end c']);
  });

  it('rejects the batch when a work fails, after every work has started', async () => {
    const started: string[] = [];
    const batch = new StatelessInbox().handleBatchOnce('group', [
      { eventId: 'a', work: async () => void started.push('a') },
      {
        eventId: 'b',
        work: async () => {
          started.push('b');
          throw new Error('redis is gone');
        },
      },
      { eventId: 'c', work: async () => void started.push('c') },
    ]);
    await expect(batch).rejects.toThrow('redis is gone');
    expect(started).toEqual(['a', 'b', 'c']);
  });
});

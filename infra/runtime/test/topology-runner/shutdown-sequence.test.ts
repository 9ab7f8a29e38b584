import { describe, expect, it } from '@jest/globals';
import { ShutdownSequence } from '../../src/index.ts';

describe('ShutdownSequence', () => {
  it('closes in reverse order of opening, once however often stop is called', async () => {
    const closed: string[] = [];
    const sequence = new ShutdownSequence();
    for (const name of ['database', 'service', 'gateway']) {
      sequence.add(name, async () => void closed.push(name));
    }
    await Promise.all([sequence.stop(), sequence.stop()]);
    await sequence.stop();
    expect(closed).toEqual(['gateway', 'service', 'database']);
  });

  it('keeps closing past a failed step and names every failure', async () => {
    const closed: string[] = [];
    const sequence = new ShutdownSequence();
    sequence.add('database', async () => void closed.push('database'));
    sequence.add('learner-api', async () => {
      throw new Error('socket hang up');
    });
    sequence.add('gateway', async () => void closed.push('gateway'));
    const failure = await sequence.stop().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).message).toBe('closing learner-api failed: Error: socket hang up');
    expect(closed).toEqual(['gateway', 'database']);
  });

  it('refuses a step added while stopping, naming it', async () => {
    const sequence = new ShutdownSequence();
    await sequence.stop();
    expect(() => sequence.add('late-cache', async () => undefined)).toThrow(
      'cannot add "late-cache": the process is already stopping',
    );
  });
});

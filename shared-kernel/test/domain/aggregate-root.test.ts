import { describe, expect, it } from '@jest/globals';
import { AggregateRoot, FixedClock } from '@strata/shared-kernel';

class Counter extends AggregateRoot {
  count = 0;
  get aggregateType(): string {
    return 'Counter';
  }
  static start(id: string): Counter {
    const counter = new Counter();
    Object.assign(counter, { id });
    return counter;
  }
  increment(clock: FixedClock): void {
    this.count += 1;
    this.record('CounterIncremented', { count: this.count }, clock.now());
  }
}

describe('an aggregate root', () => {
  const clock = new FixedClock('2026-03-01T10:00:00.000Z');

  it('records events stamped with its type, id and the version they produce', () => {
    const counter = Counter.start('c-1');
    counter.increment(clock);
    counter.increment(clock);

    expect(counter.pendingEvents).toEqual([
      {
        type: 'CounterIncremented',
        payload: { count: 1 },
        aggregateType: 'Counter',
        aggregateId: 'c-1',
        aggregateVersion: 1,
        occurredAt: new Date('2026-03-01T10:00:00.000Z'),
      },
      expect.objectContaining({ payload: { count: 2 }, aggregateVersion: 1 }),
    ]);
  });

  it('advances its version once per save and forgets saved events', () => {
    const counter = Counter.start('c-2');
    counter.increment(clock);
    counter.markSaved();
    expect(counter.version).toBe(1);
    expect(counter.pendingEvents).toEqual([]);

    counter.increment(clock);
    expect(counter.pendingEvents[0]?.aggregateVersion).toBe(2);
  });

  it('continues from the version a store restores it at', () => {
    const restored = Object.assign(new Counter(7), { id: 'c-3', count: 3 });
    expect(restored.version).toBe(7);
    expect(restored.pendingEvents).toEqual([]);
    restored.increment(clock);
    expect(restored.pendingEvents).toHaveLength(1);
    expect(restored.pendingEvents[0]?.aggregateVersion).toBe(8);
  });

  it('is equal to another instance of the same type with the same id only', () => {
    expect(Counter.start('a').equals(Counter.start('a'))).toBe(true);
    expect(Counter.start('a').equals(Counter.start('b'))).toBe(false);
  });
});

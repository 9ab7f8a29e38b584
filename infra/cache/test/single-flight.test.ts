import { describe, expect, it } from '@jest/globals';
import { SingleFlight } from '../src/single-flight.ts';

describe('SingleFlight', () => {
  // The flights live in a prototype-less object (ADR 0084): keys that name Object.prototype's
  // members must be flights like any other, never inherited values.
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', ''])(
    'shares one load among concurrent callers of the key %j and forgets it once settled',
    async (key) => {
      const flights = new SingleFlight();
      let loads = 0;
      let release!: (value: string) => void;
      const work = (): Promise<string> => {
        loads += 1;
        return new Promise((resolve) => (release = resolve));
      };
      const first = flights.run(key, work);
      const second = flights.run(key, work);
      expect(loads).toBe(1);
      release('loaded');
      await expect(Promise.all([first, second])).resolves.toEqual(['loaded', 'loaded']);
      const third = flights.run(key, work);
      expect(loads).toBe(2);
      release('again');
      await expect(third).resolves.toBe('again');
    },
  );

  it('lets a superseded flight see it and starts the next caller on a fresh load', async () => {
    const flights = new SingleFlight();
    const seen: boolean[] = [];
    let release!: () => void;
    const first = flights.run('course:1', async (isSuperseded) => {
      await new Promise<void>((resolve) => (release = resolve));
      seen.push(isSuperseded());
      return 'old';
    });
    flights.supersede('course:1');
    const fresh = flights.run('course:1', async () => 'new');
    release();
    await expect(first).resolves.toBe('old');
    await expect(fresh).resolves.toBe('new');
    expect(seen).toEqual([true]);
  });
});

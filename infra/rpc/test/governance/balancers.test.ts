import { describe, expect, it } from '@jest/globals';
import {
  ConsistentHashBalancer,
  LeastPendingBalancer,
  RoundRobinBalancer,
  serviceInstanceSchema,
  type BalancerCandidate,
} from '../../src/governance/index.ts';

function candidates(pending: number[]): BalancerCandidate[] {
  return pending.map((load, index) => ({
    instance: serviceInstanceSchema.parse({
      id: `i${index}`,
      service: 's',
      host: '127.0.0.1',
      port: 7000 + index,
    }),
    pending: load,
  }));
}

function counts(picks: (BalancerCandidate | undefined)[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const pick of picks) result.set(pick!.instance.id, (result.get(pick!.instance.id) ?? 0) + 1);
  return result;
}

const keys = Array.from(
  { length: 10_000 },
  (_, index) => `0190a6f2-7c3b-7000-8000-${index.toString().padStart(12, '0')}`,
);

describe('RoundRobinBalancer', () => {
  it('spreads calls exactly evenly', () => {
    const balancer = new RoundRobinBalancer();
    const pool = candidates([0, 0, 0]);
    const picks = counts(Array.from({ length: 300 }, () => balancer.pick(pool)));
    expect([...picks.values()]).toEqual([100, 100, 100]);
  });

  it('answers undefined when there is nobody to pick', () => {
    expect(new RoundRobinBalancer().pick([])).toBeUndefined();
  });
});

describe('LeastPendingBalancer (power of two choices)', () => {
  it('between two instances always takes the less loaded', () => {
    const balancer = new LeastPendingBalancer();
    const pool = candidates([7, 2]);
    const picks = counts(Array.from({ length: 500 }, () => balancer.pick(pool)));
    expect(picks.get('i1')).toBe(500);
  });

  it('never picks the most loaded of several and favours the least loaded', () => {
    const balancer = new LeastPendingBalancer();
    const pool = candidates([0, 5, 10, 3]);
    const picks = counts(Array.from({ length: 4000 }, () => balancer.pick(pool)));
    expect(picks.get('i2')).toBeUndefined();
    // i0 wins every pair it is in: it is sampled in half of all pairs (3 of 6).
    expect(picks.get('i0')!).toBeGreaterThan(1700);
    expect(picks.get('i0')!).toBeGreaterThan(picks.get('i3')!);
    expect(picks.get('i3')!).toBeGreaterThan(picks.get('i1')!);
  });

  it('samples two distinct candidates', () => {
    // A random source that always answers the same index would pair an instance with itself.
    const balancer = new LeastPendingBalancer(() => 0);
    expect(balancer.pick(candidates([9, 1]))!.instance.id).toBe('i1');
  });
});

describe('ConsistentHashBalancer', () => {
  const owners = (balancer: ConsistentHashBalancer, pool: BalancerCandidate[]) =>
    new Map(keys.map((key) => [key, balancer.pick(pool, key)!.instance.id]));

  it('sends one aggregate to the same instance, whatever the candidate order or balancer instance', () => {
    const pool = candidates([0, 0, 0, 0]);
    const first = owners(new ConsistentHashBalancer(), pool);
    const second = owners(new ConsistentHashBalancer(), [...pool].reverse());
    expect(second).toEqual(first);
  });

  it('spreads aggregates roughly evenly', () => {
    const balancer = new ConsistentHashBalancer();
    const pool = candidates([0, 0, 0, 0]);
    const picks = counts(keys.map((key) => balancer.pick(pool, key)));
    for (const share of picks.values()) {
      expect(share / keys.length).toBeGreaterThan(0.17);
      expect(share / keys.length).toBeLessThan(0.33);
    }
  });

  it('moves only the keys the joining instance takes over, about 1/n of them', () => {
    const balancer = new ConsistentHashBalancer();
    const before = owners(balancer, candidates([0, 0, 0, 0]));
    const after = owners(balancer, candidates([0, 0, 0, 0, 0]));
    const moved = keys.filter((key) => before.get(key) !== after.get(key));
    expect(moved.every((key) => after.get(key) === 'i4')).toBe(true);
    expect(moved.length / keys.length).toBeGreaterThan(0.1);
    expect(moved.length / keys.length).toBeLessThan(0.3);
  });

  it('moves only the leaving instance’s keys when one leaves', () => {
    const balancer = new ConsistentHashBalancer();
    const pool = candidates([0, 0, 0, 0]);
    const before = owners(balancer, pool);
    const after = owners(
      balancer,
      pool.filter((candidate) => candidate.instance.id !== 'i2'),
    );
    for (const key of keys) {
      if (before.get(key) !== 'i2') expect(after.get(key)).toBe(before.get(key));
      else expect(after.get(key)).not.toBe('i2');
    }
  });

  it('goes round robin for calls without an aggregate id', () => {
    const balancer = new ConsistentHashBalancer();
    const pool = candidates([0, 0]);
    expect(counts([balancer.pick(pool), balancer.pick(pool)]).size).toBe(2);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { ClusterInvoker, HedgeBudget, InProcessRegistry, LatencyWindow } from '../../src/governance/index.ts';
import {
  answer,
  eventually,
  fakeConnections,
  hang,
  instance,
  request,
  type Behaviour,
} from './fake-cluster.ts';
import type { RpcResponse } from '../../src/protocol.ts';

let invoker: ClusterInvoker | undefined;
afterEach(async () => {
  await invoker?.close();
  invoker = undefined;
});

describe('HedgeBudget', () => {
  it('funds at most maxShare backups per call, however many are asked for', () => {
    const budget = new HedgeBudget(0.05);
    let granted = 0;
    for (let call = 1; call <= 1000; call++) {
      budget.recordCall();
      if (budget.tryHedge()) granted += 1;
      expect(granted).toBeLessThanOrEqual(Math.floor(call * 0.05 + 1e-9));
    }
    expect(granted).toBe(50);
  });
});

describe('LatencyWindow', () => {
  it('answers the nearest-rank percentile of the recent samples', () => {
    const window = new LatencyWindow(100);
    expect(window.percentile(95)).toBeUndefined();
    for (let ms = 1; ms <= 100; ms++) window.record(ms);
    expect(window.percentile(95)).toBe(95);
    expect(window.percentile(50)).toBe(50);
    for (let i = 0; i < 100; i++) window.record(1000); // old samples roll out
    expect(window.percentile(50)).toBe(1000);
  });

  it('answers what sorting the last `size` samples answers, as samples come and go', () => {
    // Kept in order as they arrive rather than sorted per question: checked against the sort.
    const window = new LatencyWindow(16);
    const recent: number[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let sample = 0; sample < 800; sample++) {
      // Ties, zeros and outliers: a few distinct values, some repeated many times.
      const value = next() < 0.3 ? Math.floor(next() * 4) : next() < 0.05 ? 10_000 * next() : next() * 50;
      window.record(value);
      recent.push(value);
      if (recent.length > 16) recent.shift();
      const sorted = [...recent].sort((a, b) => a - b);
      for (const p of [1, 25, 50, 90, 95, 99, 100]) {
        const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
        expect([sample, p, window.percentile(p)]).toEqual([sample, p, sorted[rank - 1]]);
      }
      expect(window.count).toBe(recent.length);
    }
  });
});

/** A cluster whose instances answer at once until `slow` is set; then calls wait for release(). */
async function hedgingCluster(ids: string[], options: { minSamples: number }) {
  const registry = new InProcessRegistry();
  for (const id of ids) await registry.register(instance(id));
  const state = { slow: false, waiting: [] as (() => void)[] };
  const behaviour =
    (id: string): Behaviour =>
    (req, signal) => {
      if (!state.slow) return answer(id)(req, signal);
      return new Promise<RpcResponse>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        state.waiting.push(() => resolve({ ok: true, result: id }));
      });
    };
  const { connect, byId } = fakeConnections((target) => behaviour(target.id));
  invoker = new ClusterInvoker({
    registry,
    connect,
    hedging: { percentile: 95, maxShare: 0.05, minSamples: options.minSamples },
  });
  return { invoker, byId, state };
}

/**
 * A hedging invoker over `registry`'s instances, warmed with 20 answered queries; once
 * `slowFromNowOn()` is called, the first instance a query reaches hangs from then on (the returned
 * function names it).
 */
async function warmedWithFirstSlow(registry: InProcessRegistry) {
  let phase: 'warm' | 'test' = 'warm';
  let firstSlow: string | undefined;
  const { connect, byId } = fakeConnections((target) => (req, signal) => {
    if (phase === 'test' && firstSlow === undefined) firstSlow = target.id;
    return phase === 'test' && firstSlow === target.id ? hang(req, signal) : answer(target.id)(req, signal);
  });
  invoker = new ClusterInvoker({
    registry,
    connect,
    hedging: { percentile: 95, maxShare: 0.5, minSamples: 20 },
  });
  for (let i = 0; i < 20; i++) await invoker.invoke(request(), { kind: 'query' });
  return {
    invoker,
    byId,
    slowFromNowOn: () => {
      phase = 'test';
      return () => firstSlow;
    },
  };
}

describe('backup requests for queries', () => {
  it('sends a backup to another instance when the first is slow; the first answer wins and the loser is cancelled', async () => {
    const registry = new InProcessRegistry();
    await registry.register(instance('h1'));
    await registry.register(instance('h2'));
    const { invoker, byId, slowFromNowOn } = await warmedWithFirstSlow(registry);

    const firstSlow = slowFromNowOn();
    const response = await invoker.invoke(request({}, 10_000), { kind: 'query' });
    const other = firstSlow() === 'h1' ? 'h2' : 'h1';
    expect(response).toEqual({ ok: true, result: other });
    expect(byId.get(firstSlow()!)!.aborted).toBe(1);
    // The attempt that answered is over: nothing of it is left to cancel.
    expect(byId.get(other)!.aborted).toBe(0);
    expect(invoker.stats()[0]).toMatchObject({ hedges: 1 });
  });

  it('races nothing while one instance can take a query, keeps its deadline and abort, and sends backups once another can', async () => {
    // A backup goes only to an instance the call has not tried: with one, the query is a plain call.
    const registry = new InProcessRegistry();
    await registry.register(instance('s1'));
    const { invoker, byId, slowFromNowOn } = await warmedWithFirstSlow(registry);

    slowFromNowOn();
    const alone = await invoker.invoke(request({}, 100), { kind: 'query' });
    expect(alone).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    const caller = new AbortController();
    const abandoned = invoker.invoke(request({}, 10_000), { kind: 'query', signal: caller.signal });
    caller.abort(new Error('the caller left'));
    await expect(abandoned).rejects.toThrow('the caller left');
    expect(byId.get('s1')!.aborted).toBe(2);
    expect(invoker.stats()[0]).toMatchObject({ hedges: 0 });

    await registry.register(instance('s2'));
    await eventually(() => invoker.stats()[0]!.instances === 2, 'the second instance listed');
    // s1 still hangs: whichever instance the query goes to first, it is answered, by s2.
    const raced = await invoker.invoke(request({}, 10_000), { kind: 'query' });
    expect(raced).toEqual({ ok: true, result: 's2' });
  });

  it('caps backups at the configured share of queries', async () => {
    const { invoker, byId, state } = await hedgingCluster(['k1', 'k2', 'k3'], { minSamples: 20 });
    for (let i = 0; i < 40; i++) await invoker.invoke(request(), { kind: 'query' });
    state.slow = true;
    const queries = Array.from({ length: 200 }, () => invoker.invoke(request({}, 30_000), { kind: 'query' }));
    // Every slow query's backup timer (a fraction of a millisecond) fires while they all wait.
    await eventually(
      () => state.waiting.length >= 200 + invoker.stats()[0]!.hedges && invoker.stats()[0]!.hedges > 0,
      'backups sent',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { hedges, calls } = invoker.stats()[0]!;
    expect(calls).toBe(240);
    expect(hedges).toBeGreaterThan(0);
    expect(hedges).toBeLessThanOrEqual(Math.floor(calls * 0.05));
    const sent = [...byId.values()].reduce((sum, connection) => sum + connection.calls, 0);
    expect(sent).toBe(240 + hedges);

    for (const release of state.waiting.splice(0)) release();
    const responses = await Promise.all(queries);
    expect(responses.every((response) => response.ok)).toBe(true);
  });

  it('never sends backups for commands', async () => {
    const { invoker, state } = await hedgingCluster(['m1', 'm2'], { minSamples: 5 });
    for (let i = 0; i < 10; i++) await invoker.invoke(request(), { kind: 'command', idempotent: true });
    for (let i = 0; i < 10; i++) await invoker.invoke(request(), { kind: 'query' });
    state.slow = true;
    const pending = invoker.invoke(request({}, 30_000), { kind: 'command', idempotent: true });
    await eventually(() => state.waiting.length === 1, 'command sent');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.waiting).toHaveLength(1);
    expect(invoker.stats()[0]!.hedges).toBe(0);
    state.waiting[0]!();
    expect((await pending).ok).toBe(true);
  });
});

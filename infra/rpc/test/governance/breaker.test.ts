import { afterEach, describe, expect, it } from '@jest/globals';
import { ClusterInvoker, InProcessRegistry, InstanceBreaker } from '../../src/governance/index.ts';
import { answer, eventually, fakeConnections, instance, request, unavailable } from './fake-cluster.ts';

let invoker: ClusterInvoker | undefined;
afterEach(async () => {
  await invoker?.close();
  invoker = undefined;
});

describe('InstanceBreaker', () => {
  it('opens after consecutive UNAVAILABLE answers and answers for the instance while open', async () => {
    const breaker = new InstanceBreaker({ consecutiveFailures: 2, halfOpenAfterMs: 60_000 });
    const down = unavailable(true);
    await breaker.execute(() => down(undefined as never, undefined), 'x1');
    expect(breaker.state).toBe('closed');
    await breaker.execute(() => down(undefined as never, undefined), 'x1');
    expect(breaker.state).toBe('open');
    expect(breaker.selectable).toBe(false);
    let called = false;
    const refused = await breaker.execute(async () => {
      called = true;
      return { ok: true, result: 1 };
    }, 'x1');
    expect(called).toBe(false);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { retrySafe: true, circuitOpen: true } },
    });
  });

  it('counts error answers from a working instance as success', async () => {
    const breaker = new InstanceBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    await breaker.execute(
      async () => ({ ok: false, error: { code: 'RULE_VIOLATION', message: 'no lessons' } }),
      'x1',
    );
    expect(breaker.state).toBe('closed');
  });
});

describe('circuit breakers in the ClusterInvoker', () => {
  async function flakyCluster(halfOpenAfterMs: number) {
    const registry = new InProcessRegistry();
    await registry.register(instance('c1'));
    await registry.register(instance('c2'));
    const c1 = { behaviour: unavailable(true) };
    const { connect, byId } = fakeConnections((target) =>
      target.id === 'c1' ? (req, signal) => c1.behaviour(req, signal) : answer('c2'),
    );
    invoker = new ClusterInvoker({
      registry,
      connect,
      hedging: false,
      balancing: { default: 'round-robin' },
      breaker: { consecutiveFailures: 3, halfOpenAfterMs },
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    });
    // Queries fail over to c2, so every call succeeds while c1's failures open its breaker.
    await eventually(async () => {
      expect(await invoker!.invoke(request(), { kind: 'query' })).toEqual({ ok: true, result: 'c2' });
      return invoker!.stats()[0]!.openBreakers === 1;
    }, 'c1 breaker opens');
    expect(byId.get('c1')!.calls).toBe(3);
    return { invoker, c1, c1Connection: byId.get('c1')! };
  }

  it('takes an instance with an open breaker out of the balancer’s choice', async () => {
    const { invoker, c1, c1Connection } = await flakyCluster(60_000);
    c1.behaviour = answer('c1');
    for (let i = 0; i < 10; i++)
      expect(await invoker.invoke(request(), { kind: 'query' })).toEqual({ ok: true, result: 'c2' });
    expect(c1Connection.calls).toBe(3);
    expect(invoker.stats()[0]).toMatchObject({ openBreakers: 1 });
  });

  it('lets one half-open probe through after the delay and takes the instance back when it succeeds', async () => {
    const { invoker, c1 } = await flakyCluster(100);
    c1.behaviour = answer('c1');
    await eventually(async () => {
      const response = await invoker.invoke(request(), { kind: 'query' });
      return response.ok && response.result === 'c1';
    }, 'c1 serves again after half-open');
    expect(invoker.stats()[0]).toMatchObject({ openBreakers: 0, halfOpenBreakers: 0 });
  });

  it('opens again when the half-open probe fails', async () => {
    const breaker = new InstanceBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 50 });
    const down = unavailable(true);
    await breaker.execute(() => down(undefined as never, undefined), 'x1');
    await eventually(() => breaker.selectable, 'half-open delay passes');
    await breaker.execute(() => down(undefined as never, undefined), 'x1');
    expect(breaker.state).toBe('open');
    expect(breaker.selectable).toBe(false);
  });

  it('answers UNAVAILABLE when every instance’s breaker is open', async () => {
    const registry = new InProcessRegistry();
    await registry.register(instance('e1'));
    invoker = new ClusterInvoker({
      registry,
      connect: fakeConnections(() => unavailable(true)).connect,
      hedging: false,
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 },
      retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
    });
    await invoker.invoke(request(), { kind: 'query' });
    const response = await invoker.invoke(request(), { kind: 'query' });
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { retrySafe: true } },
    });
    if (response.ok) throw new Error('unreachable');
    expect(response.error.message).toContain('open circuit breakers');
  });
});

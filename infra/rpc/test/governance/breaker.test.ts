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

  it('answers a call that was in flight when the breaker opened with its own answer, and counts it', async () => {
    const breaker = new InstanceBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    const down = { ok: false as const, error: { code: 'UNAVAILABLE', message: 'down' } };
    let answerLate!: (response: typeof down) => void;
    const late = breaker.execute(() => new Promise((resolve) => (answerLate = resolve)), 'x1');
    await breaker.execute(async () => down, 'x1');
    expect(breaker.state).toBe('open');
    answerLate(down);
    await expect(late).resolves.toBe(down);
    expect(breaker.state).toBe('open');
    expect(breaker.consecutiveFailures).toBe(2);
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

describe('InstanceBreaker with a judgement of its own (the gateway reads HTTP attempts)', () => {
  type Attempt = { status: number; refused?: boolean };
  const judgement = {
    failed: (attempt: Attempt) => attempt.status >= 500 || attempt.refused === true,
    conclusive: (attempt: Attempt) => attempt.refused === true,
    refused: () => ({ status: 503 }),
  };
  const noHalfOpen = { consecutiveFailures: 3, halfOpenAfterMs: Infinity };

  it('opens after the consecutive failures, and at once on a conclusive one', async () => {
    const counting = new InstanceBreaker<Attempt>(noHalfOpen, judgement);
    await counting.execute(async () => ({ status: 502 }), 'h1');
    await counting.execute(async () => ({ status: 502 }), 'h1');
    expect(counting.consecutiveFailures).toBe(2);
    expect(counting.state).toBe('closed');
    await counting.execute(async () => ({ status: 502 }), 'h1');
    expect(counting.state).toBe('open');

    const refused = new InstanceBreaker<Attempt>(noHalfOpen, judgement);
    await refused.execute(async () => ({ status: 0, refused: true }), 'h2');
    expect(refused.state).toBe('open');
    expect(refused.selectable).toBe(false);
  });

  it('counts neither a success nor a failure for a call that throws', async () => {
    const breaker = new InstanceBreaker<Attempt>(noHalfOpen, judgement);
    await breaker.execute(async () => ({ status: 500 }), 'h1');
    await expect(
      breaker.execute(async () => {
        throw new Error('the client left');
      }, 'h1'),
    ).rejects.toThrow('the client left');
    expect(breaker.consecutiveFailures).toBe(1);
  });

  it('stays open without half-open until readmitted, which clears the count; eject opens at once', async () => {
    const breaker = new InstanceBreaker<Attempt>(noHalfOpen, judgement);
    await breaker.execute(async () => ({ status: 0, refused: true }), 'h1');
    let called = false;
    const answer = await breaker.execute(async () => {
      called = true;
      return { status: 200 };
    }, 'h1');
    expect(called).toBe(false);
    expect(answer).toEqual({ status: 503 });
    breaker.readmit();
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(0);
    expect(breaker.selectable).toBe(true);
    breaker.eject();
    expect(breaker.state).toBe('open');
    expect(breaker.selectable).toBe(false);
    breaker.readmit();
    expect(breaker.state).toBe('closed');
    expect(await breaker.execute(async () => ({ status: 200 }), 'h1')).toEqual({ status: 200 });
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

import { afterEach, describe, expect, it } from '@jest/globals';
import { ClusterInvoker, InProcessRegistry } from '../../src/governance/index.ts';
import { answer, fakeConnections, instance, request, unavailable, type Behaviour } from './fake-cluster.ts';

let invoker: ClusterInvoker | undefined;
afterEach(async () => {
  await invoker?.close();
  invoker = undefined;
});

async function cluster(
  behaviours: Record<string, Behaviour>,
  retry = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
) {
  const registry = new InProcessRegistry();
  for (const id of Object.keys(behaviours)) await registry.register(instance(id));
  const connections = fakeConnections((target) => behaviours[target.id]!);
  invoker = new ClusterInvoker({
    registry,
    connect: connections.connect,
    retry,
    hedging: false,
    balancing: { default: 'round-robin' },
  });
  return { invoker, connections: connections.byId };
}

const totalCalls = (connections: Map<string, { calls: number }>) =>
  [...connections.values()].reduce((sum, c) => sum + c.calls, 0);

describe('retries and failover', () => {
  it('never retries a non-idempotent command the server may have seen', async () => {
    const { invoker, connections } = await cluster({
      a1: unavailable(true),
      a2: unavailable(true),
      a3: unavailable(true),
    });
    const response = await invoker.invoke(request(), { kind: 'command' });
    expect(response).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(totalCalls(connections)).toBe(1);
  });

  it('never retries a creation unless the caller says it is idempotent', async () => {
    const { invoker, connections } = await cluster({ a1: unavailable(true), a2: unavailable(true) });
    await invoker.invoke(request(), { kind: 'create' });
    expect(totalCalls(connections)).toBe(1);
  });

  it('fails a non-idempotent command over when the server cannot have seen it', async () => {
    const { invoker, connections } = await cluster({
      a1: unavailable(false),
      a2: unavailable(false),
      a3: unavailable(false),
    });
    const first = await invoker.invoke(request(), { kind: 'command' });
    expect(first.ok).toBe(false);
    // Three instances refuse the connection: the command went to each once, never twice to one.
    expect([...connections.values()].map((c) => c.calls)).toEqual([1, 1, 1]);
  });

  it('fails an idempotent command over to another instance and succeeds there', async () => {
    const { invoker, connections } = await cluster({
      a1: unavailable(true),
      a2: answer('from a2'),
      a3: answer('from a3'),
    });
    const responses = await Promise.all(
      Array.from({ length: 9 }, () => invoker.invoke(request(), { kind: 'command', idempotent: true })),
    );
    expect(responses.every((response) => response.ok)).toBe(true);
    const a1 = connections.get('a1')!;
    expect(a1.calls).toBeGreaterThan(0);
    // Every call that landed on a1 was answered by another instance.
    expect(connections.get('a2')!.calls + connections.get('a3')!.calls).toBe(9);
  });

  it('retries a query, backing off on an instance already tried, up to maxAttempts', async () => {
    const { invoker, connections } = await cluster(
      { a1: unavailable(true) },
      { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 2 },
    );
    const response = await invoker.invoke(request(), { kind: 'query' });
    expect(response).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(connections.get('a1')!.calls).toBe(4);
    expect(invoker.stats()[0]).toMatchObject({ service: 'catalog-service', retries: 3 });
  });

  it('does not retry answers that prove the instance works', async () => {
    const notFound: Behaviour = async () => ({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such course' },
    });
    const { invoker, connections } = await cluster({ a1: notFound, a2: notFound });
    const response = await invoker.invoke(request(), { kind: 'query' });
    expect(response).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(totalCalls(connections)).toBe(1);
  });

  it('does not back off past the deadline', async () => {
    const { invoker, connections } = await cluster(
      { a1: unavailable(true) },
      { maxAttempts: 10, initialDelayMs: 60_000, maxDelayMs: 60_000 },
    );
    const response = await invoker.invoke(request({}, 1000), { kind: 'query' });
    expect(response).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    if (response.ok) throw new Error('unreachable');
    expect(response.error.message).toContain('no time left before the deadline');
    expect(connections.get('a1')!.calls).toBeLessThan(10);
  });

  it('answers UNAVAILABLE naming the service when nothing is registered', async () => {
    invoker = new ClusterInvoker({
      registry: new InProcessRegistry(),
      connect: fakeConnections(() => answer(1)).connect,
    });
    const response = await invoker.invoke(request(), { kind: 'query' });
    expect(response).toEqual({
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message: 'no instance of catalog-service is registered',
        details: { retrySafe: true },
      },
    });
  });

  it('follows the registry: a joining instance gets calls, a leaving one is closed', async () => {
    const registry = new InProcessRegistry();
    const first = await registry.register(instance('b1'));
    const { connect, byId } = fakeConnections((target) => answer(target.id));
    invoker = new ClusterInvoker({
      registry,
      connect,
      hedging: false,
      balancing: { default: 'round-robin' },
    });
    expect(await invoker.invoke(request(), { kind: 'query' })).toEqual({ ok: true, result: 'b1' });
    await registry.register(instance('b2'));
    await first.deregister();
    expect(byId.get('b1')!.closed).toBe(true);
    expect(await invoker.invoke(request(), { kind: 'query' })).toEqual({ ok: true, result: 'b2' });
  });
});

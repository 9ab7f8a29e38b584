import { afterEach, describe, expect, it } from '@jest/globals';
import { ClusterInvoker, InProcessRegistry } from '../../src/governance/index.ts';
import { answer, fakeConnections, hang, instance, request } from './fake-cluster.ts';

let invoker: ClusterInvoker | undefined;
afterEach(async () => {
  await invoker?.close();
  invoker = undefined;
});

async function cluster(balancing: 'round-robin' | 'least-pending' | 'consistent-hash', size = 4) {
  const registry = new InProcessRegistry();
  for (let i = 1; i <= size; i++) await registry.register(instance(`n${i}`));
  const connections = fakeConnections((target) => answer(target.id));
  invoker = new ClusterInvoker({
    registry,
    connect: connections.connect,
    hedging: false,
    balancing: { default: balancing },
  });
  return { invoker, connections: connections.byId };
}

describe('routing through the ClusterInvoker', () => {
  it('sends every call for one aggregate to the same instance under consistent hashing', async () => {
    const { invoker } = await cluster('consistent-hash');
    const owners = new Map<string, Set<unknown>>();
    for (let round = 0; round < 5; round++) {
      for (let aggregate = 0; aggregate < 40; aggregate++) {
        const hashKey = `course-${aggregate}`;
        const response = await invoker.invoke(request(), { kind: 'command', hashKey });
        if (!response.ok) throw new Error(response.error.message);
        owners.set(hashKey, (owners.get(hashKey) ?? new Set()).add(response.result));
      }
    }
    expect([...owners.values()].every((instances) => instances.size === 1)).toBe(true);
    expect(new Set([...owners.values()].flatMap((instances) => [...instances])).size).toBe(4);
  });

  it('spreads round-robin calls evenly', async () => {
    const { invoker, connections } = await cluster('round-robin', 3);
    for (let i = 0; i < 30; i++) await invoker.invoke(request(), { kind: 'query' });
    expect([...connections.values()].map((connection) => connection.calls)).toEqual([10, 10, 10]);
  });

  it('steers least-pending calls away from an instance with calls stuck on it', async () => {
    const registry = new InProcessRegistry();
    await registry.register(instance('n1'));
    await registry.register(instance('n2'));
    const { connect, byId } = fakeConnections((target) => (target.id === 'n1' ? hang : answer(target.id)));
    invoker = new ClusterInvoker({
      registry,
      connect,
      hedging: false,
      balancing: { default: 'least-pending' },
    });
    // The first call opens the connections; a short deadline bounds it if it lands on n1.
    await invoker.invoke(request({}, 50), { kind: 'command' });
    // Ten calls stuck on n1's connection, as if another caller had sent them.
    const controller = new AbortController();
    const stuck = Array.from({ length: 10 }, () =>
      byId
        .get('n1')!
        .call(request(), controller.signal)
        .catch(() => undefined),
    );
    const n1Before = byId.get('n1')!.calls;
    for (let i = 0; i < 50; i++)
      expect(await invoker.invoke(request(), { kind: 'query' })).toEqual({ ok: true, result: 'n2' });
    expect(byId.get('n1')!.calls).toBe(n1Before);
    expect(invoker.stats()[0]).toMatchObject({ pending: 10 });
    controller.abort(new Error('test done'));
    await Promise.all(stuck);
  });
});

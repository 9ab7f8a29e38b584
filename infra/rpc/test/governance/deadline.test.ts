import { afterEach, describe, expect, it } from '@jest/globals';
import { ClusterInvoker, InProcessRegistry, outgoingDeadline } from '../../src/governance/index.ts';
import { echoInstance, fakeConnections, hang, instance, request } from './fake-cluster.ts';

let invoker: ClusterInvoker | undefined;
afterEach(async () => {
  await invoker?.close();
  invoker = undefined;
});

describe('outgoingDeadline', () => {
  const now = 1_700_000_000_000;

  it('keeps the incoming deadline when it is sooner than the default', () => {
    expect(outgoingDeadline(now + 300, 5000, now)).toBe(now + 300);
  });

  it('never goes later than the incoming deadline', () => {
    expect(outgoingDeadline(now + 60_000, 5000, now)).toBe(now + 5000);
  });

  it('uses the default when the incoming call had none', () => {
    expect(outgoingDeadline(undefined, 2000, now)).toBe(now + 2000);
  });
});

describe('deadlines through the ClusterInvoker', () => {
  async function cluster(behaviour = echoInstance) {
    const registry = new InProcessRegistry();
    await registry.register(instance('d1'));
    await registry.register(instance('d2'));
    const connections = fakeConnections(() => behaviour);
    invoker = new ClusterInvoker({
      registry,
      connect: connections.connect,
      hedging: false,
      defaultTimeoutMs: 250,
    });
    return { invoker, connections: connections.byId };
  }

  it('fails at once with DEADLINE_EXCEEDED when no time is left, calling nobody', async () => {
    const { invoker, connections } = await cluster();
    const response = await invoker.invoke({ ...request(), deadline: Date.now() - 1 }, { kind: 'query' });
    expect(response).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect([...connections.values()].every((connection) => connection.calls === 0)).toBe(true);
  });

  it('carries the absolute deadline to the next hop unchanged', async () => {
    const { invoker, connections } = await cluster();
    const sent = request({ n: 1 }, 3000);
    await invoker.invoke(sent, { kind: 'query' });
    const received = [...connections.values()].flatMap((connection) => connection.requests);
    expect(received).toHaveLength(1);
    expect(received[0]!.deadline).toBe(sent.deadline);
  });

  it('stamps the default deadline on a request that has none', async () => {
    const { invoker, connections } = await cluster();
    const before = Date.now();
    const { deadline: _none, ...withoutDeadline } = request();
    await invoker.invoke(withoutDeadline, { kind: 'query' });
    const received = [...connections.values()].flatMap((connection) => connection.requests)[0]!;
    expect(received.deadline).toBeGreaterThanOrEqual(before + 250);
  });

  it('answers DEADLINE_EXCEEDED when the instance does not answer in time, and cancels the call', async () => {
    const { invoker, connections } = await cluster(hang);
    const response = await invoker.invoke(request({}, 100), { kind: 'query' });
    expect(response).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    const called = [...connections.values()].filter((connection) => connection.calls > 0);
    expect(called).toHaveLength(1);
    expect(called[0]!.aborted).toBe(1);
  });

  it('rejects with the caller’s reason when the caller gives up', async () => {
    const { invoker } = await cluster(hang);
    const controller = new AbortController();
    const pending = invoker.invoke(request(), { kind: 'query', signal: controller.signal });
    controller.abort(new Error('user went away'));
    await expect(pending).rejects.toThrow('user went away');
  });
});

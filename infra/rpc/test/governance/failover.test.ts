import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import {
  ClusterInvoker,
  EtcdRegistry,
  RedialingConnection,
  type ServiceInstance,
} from '../../src/governance/index.ts';
import type { RpcResponse } from '../../src/protocol.ts';
import { connectTcp } from '../../src/transport/index.ts';
import { eventually } from './fake-cluster.ts';

const hosts = stackEndpoints().etcdHosts;
const prefix = `/strata-test/${randomUUID()}`;
const service = 'commerce-service';
const ttlSeconds = 2;
const fixture = fileURLToPath(new URL('./fixtures/echo-server.ts', import.meta.url));
const servers = new Map<string, ChildProcess>();

function startServer(id: string): Promise<void> {
  const child = spawn(process.execPath, [fixture, hosts.join(','), prefix, service, id, String(ttlSeconds)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.set(id, child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`server ${id} exited (${code ?? signal}) before it was ready: ${stderr}`)),
    );
  });
}

const registry = new EtcdRegistry({ hosts, prefix, leaseTtlSeconds: ttlSeconds });
const invoker = new ClusterInvoker({
  registry,
  connect: (instance: ServiceInstance) =>
    new RedialingConnection(
      () => connectTcp({ host: instance.host, port: instance.port, tls: false, connectTimeoutMs: 1000 }),
      `${instance.service} ${instance.id} at ${instance.host}:${instance.port}`,
    ),
  retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 50 },
});

afterAll(async () => {
  await invoker.close();
  await registry.close();
  for (const child of servers.values())
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('failover across real server processes registered in etcd', () => {
  it('keeps every idempotent call succeeding while one of three servers is killed mid-load', async () => {
    await Promise.all(['s1', 's2', 's3'].map(startServer));
    let registered: readonly ServiceInstance[] = [];
    const unwatch = await registry.watch(service, (instances) => (registered = instances));
    await eventually(() => registered.length === 3, 'all three servers registered');

    const total = 1500;
    const killAfter = 400;
    const victim = 's2';
    const responses: RpcResponse[] = [];
    const servedBy = new Map<string, number>();
    let next = 0;
    let killed = false;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const n = next++;
        if (!killed && responses.length >= killAfter) {
          killed = true;
          servers.get(victim)!.kill('SIGKILL');
        }
        const response = await invoker.invoke(
          {
            service,
            method: 'Order.confirmPayment',
            payload: { n },
            metadata: { correlationId: `call-${n}` },
            deadline: Date.now() + 10_000,
          },
          { kind: 'command', idempotent: true, hashKey: `order-${n}` },
        );
        responses.push(response);
        if (response.ok) {
          const result = response.result as { instance: string; echo: { n: number } };
          expect(result.echo).toEqual({ n });
          servedBy.set(result.instance, (servedBy.get(result.instance) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));

    expect(killed).toBe(true);
    const failures = responses.filter((response) => !response.ok);
    expect(failures).toEqual([]);
    expect(responses).toHaveLength(total);
    // The calls were spread: every server answered some, the survivors most.
    expect([...servedBy.keys()].sort()).toEqual(['s1', 's2', 's3']);
    expect(servedBy.get('s1')! + servedBy.get('s3')!).toBeGreaterThan(total - killAfter);
    expect(invoker.stats()[0]!.retries).toBeGreaterThan(0);

    // The dead server never deregistered; it leaves when its lease runs out.
    await eventually(
      () => !registered.some((instance) => instance.id === victim),
      `${victim} leaves the registry at lease expiry`,
      20_000,
    );
    expect(registered.map((instance) => instance.id).sort()).toEqual(['s1', 's3']);
    await eventually(() => invoker.stats()[0]!.instances === 2, 'the invoker drops the dead instance');
    unwatch();
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import { EtcdRegistry, type ServiceInstance } from '../../src/governance/index.ts';
import { eventually } from './fake-cluster.ts';

const hosts = stackEndpoints().etcdHosts;
// A prefix of its own per run, so concurrent runs and leftovers never meet.
const prefix = `/strata-test/${randomUUID()}`;
const service = 'catalog-service';
const ttlSeconds = 2;
const fixture = fileURLToPath(new URL('./fixtures/registered-instance.ts', import.meta.url));

const children: ChildProcess[] = [];
/** What each instance process wrote to stderr: its registry warnings explain a failed expectation. */
const stderrOf = new Map<ChildProcess, string>();

function startInstance(id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fixture, hosts.join(','), prefix, service, id, String(ttlSeconds)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    stderrOf.set(child, '');
    child.stderr!.on('data', (chunk: Buffer) => stderrOf.set(child, stderrOf.get(child) + chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('registered')) resolve(child);
    });
    child.once('exit', (code) =>
      reject(new Error(`instance ${id} exited with ${code} before registering: ${stderrOf.get(child)}`)),
    );
  });
}

function ids(instances: readonly ServiceInstance[]): string[] {
  return instances.map((instance) => instance.id).sort();
}

describe('EtcdRegistry on a real etcd', () => {
  const client = new EtcdRegistry({ hosts, prefix, leaseTtlSeconds: ttlSeconds });
  let seen: readonly ServiceInstance[] = [];
  const history: string[][] = [];
  let unwatch: () => void = () => {};

  beforeAll(async () => {
    unwatch = await client.watch(service, (instances) => {
      seen = instances;
      history.push(ids(instances));
    });
  });

  afterAll(async () => {
    unwatch();
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await client.close();
  });

  it('delivers the current set at once when a watch starts', () => {
    expect(history[0]).toEqual([]);
  });

  it('sees three instances register, each with what it announced', async () => {
    await Promise.all(['p1', 'p2', 'p3'].map(startInstance));
    await eventually(() => ids(seen).join() === 'p1,p2,p3', 'watcher sees p1, p2 and p3');
    expect(seen.find((instance) => instance.id === 'p2')).toEqual({
      id: 'p2',
      service,
      host: '127.0.0.1',
      port: 9000,
      version: '1.2.3',
      tls: false,
    });
    expect(ids(await client.instances(service))).toEqual(['p1', 'p2', 'p3']);
  }, 20_000);

  it('sees a killed instance leave when its lease expires', async () => {
    const victim = children[1]!;
    const victimId = ids(seen)[1]!;
    victim.kill('SIGKILL');
    await eventually(
      () => !ids(seen).includes(victimId),
      `watcher sees the killed instance leave after its ${ttlSeconds} s lease`,
      20_000,
    );
    expect(ids(seen)).toHaveLength(2);
    expect(ids(await client.instances(service))).not.toContain(victimId);
  }, 30_000);

  it('sees a new instance join', async () => {
    await startInstance('p4');
    await eventually(() => ids(seen).includes('p4'), 'watcher sees p4 join');
    expect(ids(seen)).toHaveLength(3);
  }, 20_000);

  it('removes an instance at once when it deregisters on shutdown', async () => {
    const registration = await client.register({ id: 'local', service, host: '127.0.0.1', port: 9100 });
    await eventually(() => ids(seen).includes('local'), 'watcher sees local join');
    await registration.deregister();
    await eventually(() => !ids(seen).includes('local'), 'watcher sees local leave on deregister');
  });

  it('removes a process that stops gracefully without waiting for the lease', async () => {
    const child = await startInstance('p5');
    await eventually(() => ids(seen).includes('p5'), 'watcher sees p5 join');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The lease was revoked on shutdown, so the key is gone as soon as the process is.
    const listed = ids(await client.instances(service));
    if (listed.includes('p5'))
      throw new Error(`p5 still listed after a graceful exit; its stderr: ${stderrOf.get(child)}`);
    expect(listed).not.toContain('p5');
  }, 20_000);

  it('refuses an invalid registration with the field and the reason', async () => {
    await expect(client.register({ id: 'a/b', service, host: '127.0.0.1', port: 70_000 })).rejects.toThrow(
      /invalid service instance from etcd registration: id: must not contain "\/".*port: /,
    );
  });

  it('refuses invalid options', () => {
    expect(() => new EtcdRegistry({ hosts: ['127.0.0.1:2379'] })).toThrow(
      'hosts.0: must start with http:// or https://',
    );
  });
});

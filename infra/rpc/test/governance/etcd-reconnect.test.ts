import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { stackEndpoints } from '@strata/dev-stack';
import { EtcdRegistry, type RegistryLogger, type ServiceInstance } from '../../src/governance/index.ts';
import { eventually } from './fake-cluster.ts';

const service = 'learning-service';
const ttlSeconds = 2;
const quiet: RegistryLogger = { warn: () => {} };
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const ids = (instances: readonly ServiceInstance[]) => instances.map((instance) => instance.id).sort();

describe('EtcdRegistry recovers what etcd loses', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('registers again when its lease is lost, and watchers see the instance come back', async () => {
    const hosts = stackEndpoints().etcdHosts;
    const prefix = `/strata-test/${randomUUID()}`;
    const server = new EtcdRegistry({ hosts, prefix, leaseTtlSeconds: ttlSeconds, logger: quiet });
    const client = new EtcdRegistry({ hosts, prefix, leaseTtlSeconds: ttlSeconds, logger: quiet });
    const raw = new Etcd3({ hosts });
    cleanups.push(
      () => server.close(),
      () => client.close(),
      () => raw.close(),
    );

    const history: string[][] = [];
    await client.watch(service, (instances) => history.push(ids(instances)));
    await server.register({ id: 'r1', service, host: '127.0.0.1', port: 9200 });
    await eventually(() => history.at(-1)?.join() === 'r1', 'watcher sees r1');

    // What etcd does to a lease whose keepalives stopped arriving (a partition longer than the TTL).
    const [kv] = (await raw.getAll().prefix(`${prefix}/${service}/`).exec()).kvs;
    const lostLease = String(kv!.lease);
    await raw.leaseClient.leaseRevoke({ ID: lostLease });

    await eventually(
      () =>
        history.some((snapshot, index) => index > 0 && snapshot.length === 0) &&
        history.at(-1)?.join() === 'r1',
      'watcher sees r1 leave and come back under a new lease',
    );
    const [restored] = (await raw.getAll().prefix(`${prefix}/${service}/`).exec()).kvs;
    expect(String(restored!.lease)).not.toBe(lostLease);
  }, 30_000);

  it('keeps registrations and watches working across an etcd restart', async () => {
    // A private etcd this test may kill: the shared one belongs to everyone.
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-governance-etcd-'));
    // Free ports of its own, so an etcd left over from a crashed run can never answer in its place.
    const clientUrl = `http://127.0.0.1:${await freePort()}`;
    const peerUrl = `http://127.0.0.1:${await freePort()}`;
    let etcd: ChildProcess | undefined;
    const startEtcd = () => {
      etcd = spawn(
        'etcd',
        [
          '--name=governance-test',
          `--data-dir=${dataDir}`,
          `--listen-client-urls=${clientUrl}`,
          `--advertise-client-urls=${clientUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=governance-test=${peerUrl}`,
        ],
        { stdio: 'ignore' },
      );
      etcd.once('error', (error) => {
        throw new Error(
          `cannot start etcd for the reconnect test (the dev stack installs it: npm run stack:up): ${error.message}`,
        );
      });
    };
    const stopEtcd = async () => {
      if (etcd === undefined || etcd.exitCode !== null || etcd.signalCode !== null) return;
      const exited = new Promise((resolve) => etcd!.once('exit', resolve));
      etcd.kill('SIGKILL');
      await exited;
    };
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), stopEtcd);

    const raw = new Etcd3({ hosts: [clientUrl], dialTimeout: 1000 });
    cleanups.push(() => raw.close());
    const answers = async () =>
      raw.get('probe').then(
        () => true,
        () => false,
      );
    startEtcd();
    await eventually(answers, 'private etcd answers', 20_000);

    const prefix = `/strata-test/${randomUUID()}`;
    const server = new EtcdRegistry({
      hosts: [clientUrl],
      prefix,
      leaseTtlSeconds: ttlSeconds,
      dialTimeoutMs: 1000,
      logger: quiet,
    });
    const client = new EtcdRegistry({
      hosts: [clientUrl],
      prefix,
      leaseTtlSeconds: ttlSeconds,
      dialTimeoutMs: 1000,
      logger: quiet,
    });
    cleanups.push(
      () => server.close(),
      () => client.close(),
    );
    let seen: readonly ServiceInstance[] = [];
    await client.watch(service, (instances) => (seen = instances));
    await server.register({ id: 'r1', service, host: '127.0.0.1', port: 9300 });
    await eventually(() => ids(seen).join() === 'r1', 'watcher sees r1 before the restart');

    await stopEtcd();
    // Down for longer than the lease TTL, so the server side's keepalives fail and the lease is given up.
    await new Promise((resolve) => setTimeout(resolve, ttlSeconds * 1000 * 2 + 500));
    startEtcd();
    await eventually(answers, 'private etcd answers again', 20_000);

    // Joins after the restart reach the old watch, and r1 is (again) registered.
    const late = new EtcdRegistry({ hosts: [clientUrl], prefix, leaseTtlSeconds: ttlSeconds, logger: quiet });
    cleanups.push(() => late.close());
    await late.register({ id: 'r2', service, host: '127.0.0.1', port: 9301 });
    await eventually(() => ids(seen).join() === 'r1,r2', 'watcher sees r1 and r2 after the restart', 30_000);
    expect(ids(await client.instances(service))).toEqual(['r1', 'r2']);
  }, 90_000);
});

import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { identityContract } from '@strata/identity/contract';
import {
  connectTcp,
  createContractClient,
  devTlsMaterial,
  ensureDevCertificates,
  EtcdRegistry,
} from '@strata/rpc';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@strata/persistence';
import { identityMapping } from '@strata/identity-service';
import { bootMain } from '@strata/runtime/test-support';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('identity-service main.ts in distributed mode', () => {
  const service = uniqueService('identity_main');
  const prefix = `/strata-test/${service}`;

  afterAll(async () => {
    await dropDatabase(service);
  });

  it('refuses to start without TLS material unless plaintext is asked for, naming the variables', async () => {
    await expect(bootMain(main, { STRATA_DATABASE_SERVICE: service })).rejects.toThrow(
      /STRATA_TLS_CA_FILE: is required for mutual TLS; or set STRATA_RPC_PLAINTEXT=1/,
    );
  });

  it('migrates, registers in etcd, serves over TCP, relays its outbox to Kafka, and deregisters on SIGTERM', async () => {
    const booted = await bootMain(main, {
      STRATA_DATABASE_SERVICE: service,
      STRATA_MIGRATE: '1',
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_ETCD_PREFIX: prefix,
      STRATA_ETCD_LEASE_TTL_SECONDS: '2',
    });
    const registry = new EtcdRegistry({ hosts: ['http://127.0.0.1:2379'], prefix });
    const database = await openDatabase(
      { ...mysqlDatabase(service), migrateOnStart: false },
      identityMapping,
    );
    try {
      expect((await registry.instances('identity-service')).map((instance) => instance.port)).toEqual([
        booted.port,
      ]);

      const connection = await connectTcp({ host: '127.0.0.1', port: booted.port, tls: false });
      const client = createContractClient(identityContract, {
        service: 'identity-service',
        invoke: (request) => connection.call(request),
      });
      const user = await client.User.register({
        email: 'main@example.org',
        password: 'Correct-Horse-42',
        displayName: 'Booted',
      });
      await expect(client.User.get(user.id)).resolves.toMatchObject({ email: 'main@example.org' });
      await connection.close();

      // The relay marks a row sent only after Kafka acknowledged it.
      let unsent = 1;
      for (let attempt = 0; attempt < 100 && unsent > 0; attempt += 1) {
        const [row] = await database
          .em()
          .execute<{ n: number }[]>(
            'select count(*) as n from outbox where sent_at is null and aggregate_id = ?',
            [user.id],
          );
        unsent = Number(row!.n);
        if (unsent > 0) await sleep(100);
      }
      expect(unsent).toBe(0);

      booted.child.kill('SIGTERM');
      expect(await booted.exited).toBe(0);
      expect(booted.lines.join('\n')).toContain('identity-service stopped cleanly');
      expect(await registry.instances('identity-service')).toEqual([]);
    } finally {
      booted.child.kill('SIGKILL');
      await registry.close();
      await database.close();
    }
  });

  it('serves with mutual TLS when certificates are configured, answering a caller on its allow-list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-identity-tls-'));
    const certificates = await ensureDevCertificates({ dir, services: ['identity-service', 'account-api'] });
    const files = certificates.services['identity-service']!;
    const booted = await bootMain(main, {
      STRATA_DATABASE_SERVICE: service,
      STRATA_MIGRATE: '1',
      STRATA_REGISTRY: 'none',
      STRATA_TLS_CA_FILE: certificates.caCertFile,
      STRATA_TLS_CERT_FILE: files.certFile,
      STRATA_TLS_KEY_FILE: files.keyFile,
      STRATA_TLS_ALLOWED_CALLERS: 'account-api',
    });
    try {
      const connection = await connectTcp({
        host: '127.0.0.1',
        port: booted.port,
        tls: { ...(await devTlsMaterial(certificates, 'account-api')), serverService: 'identity-service' },
      });
      const client = createContractClient(identityContract, {
        service: 'identity-service',
        invoke: (request) => connection.call(request),
      });
      await expect(
        client.User.register({ email: 'tls@example.org', password: 'Correct-Horse-42', displayName: 'TLS' }),
      ).resolves.toMatchObject({ email: 'tls@example.org' });
      await connection.close();
      booted.child.kill('SIGTERM');
      expect(await booted.exited).toBe(0);
    } finally {
      booted.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { catalogContract } from '@strata/catalog/contract';
import { connectTcp, createContractClient, EtcdRegistry } from '@strata/rpc';
import { openDatabase } from '@strata/persistence';
import { commerceMapping } from '@strata/commerce-service';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bootMain } from '@strata/runtime/test-support';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('commerce-service main.ts in distributed mode', () => {
  const service = uniqueService('commerce_main');
  const prefix = `/strata-test/${service}`;

  afterAll(async () => {
    await dropDatabase(service);
  });

  it('applies its migrations with the migrate command, and finds nothing left to do the second time', async () => {
    const run = () =>
      promisify(execFile)(process.execPath, [main, 'migrate'], {
        env: { ...process.env, STRATA_DATABASE_SERVICE: service },
      });
    const first = await run();
    expect(first.stdout).toMatch(
      /applied strata-0001-outbox, strata-0002-inbox, strata-0003-idempotency-keys, strata-0004-jobs, catalog-0001-courses/,
    );
    const second = await run();
    expect(second.stdout).toContain('schema up to date');
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
      commerceMapping,
    );
    try {
      expect((await registry.instances('commerce-service')).map((instance) => instance.port)).toEqual([
        booted.port,
      ]);

      const connection = await connectTcp({ host: '127.0.0.1', port: booted.port, tls: false });
      const client = createContractClient(catalogContract, {
        service: 'commerce-service',
        invoke: (request) => connection.call(request),
      });
      const instructor = { userId: crypto.randomUUID(), roles: ['instructor'] };
      const course = await client.Course.draft({ title: 'Booted course' }, { caller: instructor });
      await expect(client.Course.get(course.id)).resolves.toMatchObject({ instructorId: instructor.userId });
      await connection.close();

      // The relay marks a row sent only after Kafka acknowledged it.
      let unsent = 1;
      for (let attempt = 0; attempt < 100 && unsent > 0; attempt += 1) {
        const [row] = await database
          .em()
          .execute<{ n: number }[]>(
            'select count(*) as n from outbox where sent_at is null and aggregate_id = ?',
            [course.id],
          );
        unsent = Number(row!.n);
        if (unsent > 0) await sleep(100);
      }
      expect(unsent).toBe(0);

      booted.child.kill('SIGTERM');
      expect(await booted.exited).toBe(0);
      expect(booted.lines.join('\n')).toContain('commerce-service stopped cleanly');
      expect(await registry.instances('commerce-service')).toEqual([]);
    } finally {
      booted.child.kill('SIGKILL');
      await registry.close();
      await database.close();
    }
  });
});

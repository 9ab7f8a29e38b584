import { expect, it } from '@jest/globals';
import { openDatabase, type DatabaseMapping } from '@strata/persistence';
import { mysqlDatabase } from '@strata/persistence/test-support';
import { connectTcp, createContractClient, EtcdRegistry, type ContractClient } from '@strata/rpc';
import type { Contract } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { bootMain } from './boot-main.ts';

/** A data service's main.ts, as the shared distributed-mode behaviour below exercises it. */
export interface DataServiceMain<TContract extends Contract> {
  /** Its registered name, e.g. 'commerce-service'. */
  readonly name: string;
  readonly mainPath: string;
  readonly mapping: DatabaseMapping;
  readonly contract: TContract;
  /** The schema (a `uniqueService` name) and etcd prefix this test run uses. */
  readonly schemaService: string;
  readonly etcdPrefix: string;
  /** What else its main needs in the environment to serve (commerce-service: its payment provider's URL). */
  readonly env?: () => Record<string, string>;
  /** Creates one aggregate through a real TCP client, checks it reads back, and returns its id. */
  createOne(client: ContractClient<TContract>): Promise<string>;
}

/**
 * What every data service's main.ts does in distributed mode, as `it` blocks for the calling
 * describe: refuse to start half-configured, then migrate, register in etcd, serve over TCP,
 * relay its outbox to Kafka and deregister on SIGTERM.
 */
export function behavesAsADataServiceMain<TContract extends Contract>(subject: DataServiceMain<TContract>) {
  it('refuses to start without TLS material unless plaintext is asked for, naming the variables', async () => {
    await expect(
      bootMain(subject.mainPath, { ...subject.env?.(), STRATA_DATABASE_SERVICE: subject.schemaService }),
    ).rejects.toThrow(/STRATA_TLS_CA_FILE: is required for mutual TLS; or set STRATA_RPC_PLAINTEXT=1/);
  });

  it('migrates, registers in etcd, serves over TCP, relays its outbox to Kafka, and deregisters on SIGTERM', async () => {
    const booted = await bootMain(subject.mainPath, {
      ...subject.env?.(),
      STRATA_DATABASE_SERVICE: subject.schemaService,
      STRATA_MIGRATE: '1',
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_ETCD_PREFIX: subject.etcdPrefix,
      STRATA_ETCD_LEASE_TTL_SECONDS: '2',
    });
    const registry = new EtcdRegistry({ hosts: ['http://127.0.0.1:2379'], prefix: subject.etcdPrefix });
    const database = await openDatabase(
      { ...mysqlDatabase(subject.schemaService), migrateOnStart: false },
      subject.mapping,
    );
    try {
      const registered = await registry.instances(subject.name);
      expect(registered.map((instance) => instance.port)).toEqual([booted.port]);

      const connection = await connectTcp({ host: '127.0.0.1', port: booted.port, tls: false });
      const client = createContractClient(subject.contract, {
        service: subject.name,
        invoke: (request) => connection.call(request),
      });
      const aggregateId = await subject.createOne(client);
      await connection.close();

      // The relay marks a row sent only after Kafka acknowledged it.
      const unsent = await waitFor(
        "the outbox relay to mark the aggregate's rows sent",
        async () => {
          const [row] = await database
            .em()
            .execute<{ n: number }[]>(
              'select count(*) as n from outbox where sent_at is null and aggregate_id = ?',
              [aggregateId],
            );
          return Number(row!.n);
        },
        // Was 100 reads 100 ms apart (~10 s here); CI is slower. Under jest's 30 s for the test.
        { done: (count) => count === 0, timeoutMs: 20_000, everyMs: 100 },
      );
      expect(unsent).toBe(0);

      booted.child.kill('SIGTERM');
      expect(await booted.exited).toBe(0);
      expect(booted.lines.join('\n')).toContain(`${subject.name} stopped cleanly`);
      expect(await registry.instances(subject.name)).toEqual([]);
    } finally {
      booted.child.kill('SIGKILL');
      await registry.close();
      await database.close();
    }
  });
}

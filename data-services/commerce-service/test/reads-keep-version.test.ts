import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceServiceOptions } from '@strata/commerce-service';
import { InProcessEventBroker } from '@strata/events';
import { createContractClient, inProcessInvoke } from '@strata/rpc';
import { newId, systemClock } from '@strata/shared-kernel';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { recordingLogger } from '@strata/runtime/test-support';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

// The version is what If-Match compares: a read, or a command the domain refused, must leave it
// as it was, or an editor's next change is refused for nothing.
const directory = mkdtempSync(join(tmpdir(), 'strata-reads-'));
const services: string[] = [];

afterAll(async () => {
  for (const service of services) await dropDatabase(service);
  rmSync(directory, { recursive: true, force: true });
});

const engines: [string, () => CommerceServiceOptions['database']][] = [
  ['SQLite', () => ({ kind: 'sqlite', file: join(directory, `${newId()}.db`), migrateOnStart: true })],
  [
    'MariaDB',
    () => {
      const service = uniqueService('reads');
      services.push(service);
      return mysqlDatabase(service);
    },
  ],
];

describe.each(engines)('a course on %s', (_engine, database) => {
  it('keeps its version through reads and refused commands, and advances once per change', async () => {
    const commerce = await createCommerceService({
      paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
      database: database(),
      clock: systemClock,
      broker: new InProcessEventBroker(),
      logger: recordingLogger(),
    });
    try {
      const client = createContractClient(catalogContract, {
        service: 'commerce-service',
        invoke: inProcessInvoke(commerce.handler),
      });
      const owner = { userId: newId(), roles: ['learner', 'instructor'] };
      const course = await client.Course.draft({ title: 'Versions that mean something' }, { caller: owner });
      const outlined = await client.Course.addLesson(course.id, { title: 'One' }, { caller: owner });
      await client.Course.get(course.id, { caller: owner });
      await client.Course.get(course.id, { caller: owner });
      const stranger = { userId: newId(), roles: ['instructor'] };
      await expect(client.Course.publish(course.id, {}, { caller: stranger })).rejects.toMatchObject({
        reason: 'only-the-course-owner-may-change-it',
      });
      const [row] = await commerce.database
        .em()
        .execute<{ version: number }[]>('select version from courses where id = ?', [course.id]);

      expect([course.version, outlined.version]).toEqual([1, 2]);
      expect((await client.Course.get(course.id, { caller: owner })).version).toBe(2);
      expect(Number(row?.version)).toBe(2);
    } finally {
      await commerce.close();
    }
  }, 60_000);
});

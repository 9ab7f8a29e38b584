import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { catalogContract } from '@strata/catalog/contract';
import { commerceMapping } from '@strata/commerce-service';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { behavesAsADataServiceMain, bootMain } from '@strata/runtime/test-support';
import { dropDatabase, uniqueService } from '@strata/persistence/test-support';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const simulator = usePaymentSimulator();

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

  it('refuses to serve without its payment provider, naming the variable', async () => {
    await expect(
      bootMain(main, {
        STRATA_DATABASE_SERVICE: service,
        STRATA_RPC_PLAINTEXT: '1',
        STRATA_REGISTRY: 'none',
      }),
    ).rejects.toThrow(/STRATA_PAYMENT_PROVIDER_URL: is required: the payment provider’s base URL/);
  });

  behavesAsADataServiceMain({
    name: 'commerce-service',
    mainPath: main,
    mapping: commerceMapping,
    contract: catalogContract,
    schemaService: service,
    etcdPrefix: prefix,
    env: () => ({ STRATA_PAYMENT_PROVIDER_URL: simulator.url }),
    async createOne(client) {
      const instructor = { userId: crypto.randomUUID(), roles: ['instructor'] };
      const course = await client.Course.draft({ title: 'Booted course' }, { caller: instructor });
      await expect(client.Course.get(course.id)).resolves.toMatchObject({ instructorId: instructor.userId });
      return course.id;
    },
  });
});

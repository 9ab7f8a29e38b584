import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { newId } from '@strata/shared-kernel';
import { sqliteDataService, type RunningDataService } from '@strata/runtime/test-support';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

describe('commerce-service embedded on SQLite', () => {
  let running: RunningDataService<CommerceService>;

  beforeAll(async () => {
    running = await sqliteDataService((options) =>
      createCommerceService({
        ...options,
        paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
      }),
    );
  });

  afterAll(() => running?.stop());

  it('drafts, prices, publishes and finds a course by text', async () => {
    const client = running.clientOf(catalogContract);
    const caller = { userId: newId(), roles: ['instructor'] };
    const course = await client.Course.draft(
      { title: 'Embedded Haskell', description: 'monads' },
      { caller },
    );
    await client.Course.addLesson(course.id, { title: 'Functors' }, { caller });
    await client.Course.setPrice(course.id, { price: { amount: 0, currency: 'EUR' } }, { caller });
    const published = await client.Course.publish(course.id, {}, { caller });
    expect(published).toMatchObject({ status: 'published', lessons: [{ title: 'Functors' }] });
    await expect(client.Course.get(course.id)).resolves.toEqual(published);
    const found = await client.Course.findPublished({ text: 'MONADS' });
    expect(found.items.map((item) => item.id)).toEqual([course.id]);
  });

  it('refuses search text with control characters, naming the field, and finds quotes as themselves', async () => {
    const client = running.clientOf(catalogContract);
    // A NUL byte once ended SQLite's string literal inside the SQL text: an INTERNAL error.
    await expect(client.Course.findPublished({ text: 'a\u0000b' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      issues: [expect.objectContaining({ path: ['input', 'text'] })],
    });
    await expect(client.Course.findPublished({ text: "it's ? 100%" })).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

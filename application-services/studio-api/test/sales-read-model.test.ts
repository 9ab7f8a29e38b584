import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { MemorySalesReadModel, RedisSalesReadModel, type SalesReadModel } from '../src/index.ts';
import { changeOf, courseLine, orderPaid, orderRefunded, paidOrder } from './order-events.ts';

/*
 * One behaviour suite for both adapters: the embedded (memory) and the distributed (real Redis,
 * under a unique key prefix) read models must answer alike.
 */

const redis = new Redis(stackEndpoints().redisUrl);
const prefixes: string[] = [];

const adapters: [string, (options?: { processedIdsKept?: number }) => SalesReadModel][] = [
  ['memory', (options) => new MemorySalesReadModel(options)],
  [
    'redis',
    (options) => {
      const prefix = `strata-test:studio-sales:${newId()}:`;
      prefixes.push(prefix);
      return new RedisSalesReadModel({ client: redis, prefix, ...options });
    },
  ],
];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

describe.each(adapters)('the sales read model (%s)', (_name, create) => {
  let sales: SalesReadModel;

  beforeEach(() => {
    sales = create();
  });

  it('counts a paid order, then its refund: paid and refunded orders, and revenue paid minus refunded', async () => {
    const line = courseLine({ price: { amount: 4_900, currency: 'EUR' } });
    const first = paidOrder([line]);
    const second = paidOrder([line]);

    expect(await sales.apply(changeOf(orderPaid(first)))).toBe('applied');
    expect(await sales.apply(changeOf(orderPaid(second)))).toBe('applied');
    expect(await sales.salesOf(line.instructorId)).toEqual([
      {
        courseId: line.courseId,
        title: line.title,
        instructorId: line.instructorId,
        paidOrders: 2,
        refundedOrders: 0,
        revenue: [{ amount: 9_800, currency: 'EUR' }],
      },
    ]);

    expect(await sales.apply(changeOf(orderRefunded(first)))).toBe('applied');
    expect(await sales.salesOf(line.instructorId)).toMatchObject([
      {
        courseId: line.courseId,
        paidOrders: 2,
        refundedOrders: 1,
        revenue: [{ amount: 4_900, currency: 'EUR' }],
      },
    ]);
  });

  it('changes nothing when the same event id comes again', async () => {
    const line = courseLine();
    const paid = orderPaid(paidOrder([line]));
    expect(await sales.apply(changeOf(paid))).toBe('applied');
    const before = await sales.salesOf(line.instructorId);

    expect(await sales.apply(changeOf(paid))).toBe('duplicate');
    expect(await sales.apply(changeOf(paid))).toBe('duplicate');
    expect(await sales.salesOf(line.instructorId)).toEqual(before);
    expect(before).toMatchObject([{ paidOrders: 1, revenue: [{ amount: 4_900, currency: 'EUR' }] }]);
  });

  it('keeps each currency apart, ordered by code, never adding euros to dollars', async () => {
    const euros = courseLine({ price: { amount: 4_900, currency: 'EUR' } });
    const dollars = { ...euros, price: { amount: 5_500, currency: 'USD' } };
    const pounds = { ...euros, price: { amount: 3_900, currency: 'GBP' } };
    const refundedDollars = paidOrder([dollars]);
    for (const order of [paidOrder([euros]), refundedDollars, paidOrder([dollars]), paidOrder([pounds])]) {
      await sales.apply(changeOf(orderPaid(order)));
    }
    await sales.apply(changeOf(orderRefunded(refundedDollars)));

    expect(await sales.salesOf(euros.instructorId)).toMatchObject([
      {
        courseId: euros.courseId,
        paidOrders: 4,
        refundedOrders: 1,
        revenue: [
          { amount: 4_900, currency: 'EUR' },
          { amount: 3_900, currency: 'GBP' },
          { amount: 5_500, currency: 'USD' },
        ],
      },
    ]);
  });

  it('counts every line of an order for its own course, and shows an instructor only their courses', async () => {
    const instructor = newId();
    const mine = [
      courseLine({ instructorId: instructor, title: 'Sagas' }),
      courseLine({ instructorId: instructor, title: 'Outboxes' }),
    ];
    const theirs = courseLine({ title: 'Caching' });
    await sales.apply(changeOf(orderPaid(paidOrder([...mine, theirs]))));

    const figures = await sales.salesOf(instructor);
    expect(figures.map((course) => [course.title, course.paidOrders])).toEqual([
      ['Outboxes', 1],
      ['Sagas', 1],
    ]);
    expect((await sales.salesOf(theirs.instructorId)).map((course) => course.courseId)).toEqual([
      theirs.courseId,
    ]);
    expect((await sales.allSales()).map((course) => course.title)).toEqual(['Caching', 'Outboxes', 'Sagas']);
    expect(await sales.countCourses()).toBe(3);
    expect(await sales.salesOf(newId())).toEqual([]);
  });

  it('forgets every figure and every remembered event id when cleared', async () => {
    const line = courseLine();
    const paid = orderPaid(paidOrder([line]));
    await sales.apply(changeOf(paid));

    await sales.clear();
    expect(await sales.countCourses()).toBe(0);
    expect(await sales.allSales()).toEqual([]);
    // A rebuild replays the same events: they must count again.
    expect(await sales.apply(changeOf(paid))).toBe('applied');
    expect(await sales.salesOf(line.instructorId)).toMatchObject([{ paidOrders: 1 }]);
  });

  it('remembers the most recent event ids only, up to the configured bound', async () => {
    const bounded = create({ processedIdsKept: 2 });
    const line = courseLine();
    const [first, second, third] = [1, 2, 3].map(() => orderPaid(paidOrder([line])));
    for (const event of [first!, second!, third!])
      expect(await bounded.apply(changeOf(event))).toBe('applied');

    expect(await bounded.apply(changeOf(third!))).toBe('duplicate');
    expect(await bounded.apply(changeOf(second!))).toBe('duplicate');
    // The oldest id fell out of the window: the bound is what retention costs.
    expect(await bounded.apply(changeOf(first!))).toBe('applied');
    expect(await bounded.salesOf(line.instructorId)).toMatchObject([{ paidOrders: 4 }]);
  });
});

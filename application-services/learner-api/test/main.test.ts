import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import {
  sqliteDataService,
  startApp,
  staticDataServices,
  type RunningDataService,
} from '@strata/runtime/test-support';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { createEngagementService } from '@strata/engagement-service';
import { createLearningService } from '@strata/learning-service';
import { stackEndpoints } from '@strata/dev-stack';
import { KafkaEventBroker } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import type { RpcRequest } from '@strata/rpc';
import { newId } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { Redis } from 'ioredis';
import { catalogEventsTopic } from '../src/index.ts';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

// Kafka delivery is asynchronous: asked until it shows, for up to 30 s of time (it was 120 asks 250 ms
// apart), under the tests' 60 s.
const SETTLE = { timeoutMs: 30_000, everyMs: 250 };

/** Waits until the consumer group has committed every catalog event published so far. */
async function consumedEverything(group: string): Promise<void> {
  const admin = kafkaClient({
    clientId: 'learner-main-test-admin',
    brokers: stackEndpoints().kafkaBrokers,
  }).admin();
  await admin.connect();
  try {
    const caughtUp = await waitFor(
      `the consumer group ${group} to commit every catalog event`,
      async () => {
        const ends = await admin.fetchTopicOffsets(catalogEventsTopic());
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [catalogEventsTopic()] });
        return ends.every(
          (end) =>
            committed?.partitions.find((partition) => partition.partition === end.partition)?.offset ===
            end.high,
        );
      },
      SETTLE,
    );
    expect(caughtUp).toBe(true);
  } finally {
    await admin.disconnect();
  }
}

describe('learner-api main (distributed: Redis cache, Kafka events, commerce-service over TCP)', () => {
  let commerce: RunningDataService<CommerceService>;
  let broker: KafkaEventBroker;
  // commerce-service, learning-service beside it (learner-api's readiness covers both) and
  // engagement-service (the links learners share).
  const dataServices = staticDataServices();
  const received: RpcRequest[] = [];
  const prefix = `t:learner-main:${newId()}:`;
  const instructor = { caller: { userId: newId(), roles: ['instructor'] } };

  beforeAll(async () => {
    broker = new KafkaEventBroker({ brokers: stackEndpoints().kafkaBrokers, clientId: 'learner-main-test' });
    commerce = await sqliteDataService(
      (options) =>
        createCommerceService({
          ...options,
          paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
        }),
      { broker },
    );
    await dataServices.serve('STRATA_COMMERCE_ADDRESS', commerce, (request, signal) => {
      received.push(structuredClone(request));
      return commerce.service.handler(request, signal);
    });
    await dataServices.serve(
      'STRATA_LEARNING_ADDRESS',
      await sqliteDataService((options) => createLearningService(options), { broker }),
    );
    await dataServices.serve(
      'STRATA_ENGAGEMENT_ADDRESS',
      await sqliteDataService(
        (options) => createEngagementService({ ...options, shortDomain: 'strata.link' }),
        {
          broker,
        },
      ),
    );
  });

  afterAll(async () => {
    await dataServices.close();
    await broker?.close();
    const redis = new Redis(stackEndpoints().redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /** Where learner-api finds its data services: this test's listeners, in plaintext. */
  const dataServicesEnv = () => ({ STRATA_HTTP_PORT: '0', ...dataServices.env() });

  /** Everything learner-api needs to start, its consumer groups named after `group`. */
  const runnableEnv = (group: string) => ({
    ...dataServicesEnv(),
    STRATA_REDIS_URL: stackEndpoints().redisUrl,
    STRATA_REDIS_KEY_PREFIX: prefix,
    STRATA_KAFKA_BROKERS: stackEndpoints().kafkaBrokers.join(','),
    STRATA_CACHE_CONSUMER_GROUP: group,
    STRATA_PUSH_CONSUMER_GROUP: `${group}.push`,
    STRATA_PAYMENT_WEBHOOK_SECRET: 'learner-main-test-webhook-secret',
  });

  it('serves a detail from Redis, reloads it after the price-change event from Kafka, and stops cleanly', async () => {
    const catalog = commerce.clientOf(catalogContract);
    const course = await catalog.Course.draft({ title: 'Distributed Caching' }, instructor);
    await catalog.Course.addLesson(course.id, { title: 'Welcome' }, instructor);
    await catalog.Course.setPrice(course.id, { price: { amount: 1900, currency: 'EUR' } }, instructor);
    await catalog.Course.publish(course.id, {}, instructor);

    const group = `learner-main-test-${newId()}`;
    const started = startApp('learner-api', main, {
      ...runnableEnv(group),
      STRATA_LOG_LEVEL: 'info',
      STRATA_HEALTH_PORT: '0',
    });
    try {
      const url = await started.listening();
      // Readiness covers the data services, without which no detail (or my courses) can be loaded.
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({
        checks: { 'commerce-service': 'ok', 'learning-service': 'ok', 'engagement-service': 'ok' },
      });
      const loads = () => received.filter((request) => request.method === 'Course.get').length;
      const detail = async () =>
        (await (await fetch(`${url}/courses/${course.id}`)).json()) as { price: { amount: number } };

      // Once learner-api has consumed the publication's events, nothing but the next event drops the entry.
      await commerce.service.relay.publishBatch();
      await consumedEverything(group);
      expect((await detail()).price.amount).toBe(1900);
      // The catalog feed is metered on the admin port as a data service's consumers are (the push
      // feed's topic may have no partitions yet on a fresh broker, so no lag series of its own).
      const admin = /"adminUrl":"(http:\/\/[\d.]+:\d+)"/.exec(started.output())?.[1];
      const metrics = await (await fetch(`${admin}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`^strata_kafka_consumer_lag\\{group="${group}",`, 'm'));
      expect(metrics).toMatch(
        new RegExp(`^strata_events_consumed_total\\{group="${group}",outcome="handled"\\} [1-9]`, 'm'),
      );
      const loadedBefore = loads();
      expect((await detail()).price.amount).toBe(1900);
      expect(loads()).toBe(loadedBefore);

      await catalog.Course.setPrice(course.id, { price: { amount: 2500, currency: 'EUR' } }, instructor);
      expect(await commerce.service.relay.publishBatch()).toBeGreaterThan(0);
      const after = await waitFor('the detail to show the new price', detail, {
        ...SETTLE,
        done: (view) => view.price.amount === 2500,
      });
      expect(after.price.amount).toBe(2500);
      expect(loads()).toBeGreaterThan(loadedBefore);

      const found = (await (await fetch(`${url}/courses?text=Distributed%20Caching`)).json()) as {
        items: { id: string }[];
      };
      expect(found.items.map((item) => item.id)).toContain(course.id);
    } finally {
      started.child.kill('SIGTERM');
      const code = await started.exited;
      // The child's output is the only account of why it failed; show it with the exit code.
      expect({ code, output: code === 0 ? '' : started.output() }).toEqual({ code: 0, output: '' });
    }
    expect(started.output()).toContain('learner-api stopped cleanly');
  }, 60_000);

  it('refuses to start without the payment webhook secret: exit code 2, naming the variable', async () => {
    const started = startApp('learner-api', main, dataServicesEnv());
    expect(await started.exited).toBe(2);
    expect(started.output()).toContain('STRATA_PAYMENT_WEBHOOK_SECRET');
    expect(started.output()).not.toContain('listening on');
  }, 60_000);

  it('refuses a client rate limit for a data service it does not call: exit code 2, naming the ones it does', async () => {
    const started = startApp('learner-api', main, {
      ...runnableEnv(`learner-main-test-${newId()}`),
      STRATA_RPC_RATE_LIMITS: 'commerce-service=5000/1000,comerce-service=5000/1000',
    });
    expect(await started.exited).toBe(2);
    expect(started.output()).toContain(
      'STRATA_RPC_RATE_LIMITS: names comerce-service, which this process does not call; it calls commerce-service, learning-service, engagement-service',
    );
    expect(started.output()).not.toContain('listening on');
  }, 60_000);
});

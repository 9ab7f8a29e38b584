import { afterAll, describe, expect, it } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import { KafkaEventBroker } from '@strata/events';
import { dropDatabase, uniqueService } from '@strata/persistence/test-support';
import {
  composeDataService,
  dataServiceConfigSchema,
  serveDataService,
  type DataServiceConfig,
} from '../../src/data-service/index.ts';
import { loadEnvConfig } from '../../src/env-config.ts';
import { createLogger } from '../../src/logger.ts';
import {
  noticePosted,
  noticeReader,
  readerMapping,
  housekeepingRan,
  REMEMBER_JOB,
  spendIdempotencyKey,
  until,
  type ReaderLog,
} from './notice-reader.ts';

// Distributed mode in this process: MariaDB, Kafka, Redis (BullMQ), plaintext TCP, no registry;
// a deployment name of its own keeps its topics, consumer group, schema and queue apart.
describe('serveDataService (distributed)', () => {
  const schema = uniqueService('serve_ds');
  const deployment = `w${Date.now().toString(36)}`;
  const endpoints = stackEndpoints();
  const config = loadEnvConfig('reader-service', dataServiceConfigSchema('serve'), {
    STRATA_DATABASE_SERVICE: schema,
    STRATA_MIGRATE: '1',
    STRATA_RPC_PLAINTEXT: '1',
    STRATA_REGISTRY: 'none',
    STRATA_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    STRATA_REDIS_URL: endpoints.redisUrl,
    STRATA_EVENT_NAMESPACE: deployment,
    STRATA_DEPLOYMENT: deployment,
    STRATA_HOUSEKEEPING_EVERY_SECONDS: '1',
  }) as DataServiceConfig;

  afterAll(async () => {
    await dropDatabase(schema);
  });

  it('feeds a hosted context the events it subscribes to from Kafka, once each, runs its jobs and housekeeping on Redis, and stops cleanly', async () => {
    const log: ReaderLog = { notices: [], jobs: [] };
    const serving = await serveDataService(
      {
        name: 'reader-service',
        mapping: readerMapping,
        create: (options) =>
          composeDataService(
            { service: 'reader-service', mapping: readerMapping, contexts: [noticeReader(log)] },
            options,
          ),
      },
      config,
      createLogger({ service: 'reader-service', level: 'silent' }),
    );
    const publisher = new KafkaEventBroker({ brokers: endpoints.kafkaBrokers, clientId: 'serve-ds-test' });
    try {
      const first = noticePosted('first', deployment);
      // The same event twice (a redelivery), then another on the same partition: once the second
      // is handled, the copy has been seen and refused by the inbox.
      await publisher.publish([first, { ...first, key: first.key }]);
      const second = noticePosted('second', deployment);
      await publisher.publish([{ ...second, key: first.key }]);
      await until('both notices handled', () => log.notices.length >= 2);
      expect(log.notices).toEqual(['first', 'second']);

      await serving.service.jobs.schedule({ name: REMEMBER_JOB, payload: { text: 'later' }, delayMs: 200 });
      await until('the job ran', () => log.jobs.length > 0);
      expect(log.jobs).toEqual(['later']);

      // Housekeeping (every second here) purges an idempotency key that has expired.
      await spendIdempotencyKey(serving.service.database);
      await housekeepingRan(serving.service.database);
      expect(await serving.service.jobs.failures(20)).toEqual([]);
    } finally {
      await publisher.close();
      // Leaves no schedule behind in the shared Redis.
      await serving.service.jobs.cancel('strata-housekeeping');
      await serving.stop();
    }
  });
});

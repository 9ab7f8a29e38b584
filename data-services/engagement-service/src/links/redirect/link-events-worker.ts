import { parentPort, workerData } from 'node:worker_threads';
import { KafkaEventConsumer, PlatformaticEventBroker } from '@strata/events';
import { Redis } from 'ioredis';
import { RedirectCacheInvalidation } from './cache-invalidation.ts';
import type { LinkEventsThreadMessage, LinkEventsWorkerData } from './link-events-thread.ts';
import { RedisLinkCache } from './link-cache.ts';
import { RedisVisitLedger } from './redis-visit-ledger.ts';
import { VisitShipper } from './visit-shipper.ts';

// The Kafka side of one redirect instance, on a thread of its own (ADR 0026): it reads the link
// events into cache invalidations and ships the queued visits. kafkajs spends tens of µs of CPU
// per visit it ships, which on the serving thread would cost the redirects their speed. Started
// and stopped by link-events-thread.ts; it talks to the serving thread through Redis only.
const data = workerData as LinkEventsWorkerData;
const port = parentPort!;
const post = (message: LinkEventsThreadMessage) => port.postMessage(message);
const logger = {
  warn(fields: { err?: unknown }, message: string): void {
    const error = fields.err instanceof Error ? (fields.err.stack ?? fields.err.message) : fields.err;
    post({ kind: 'warn', message, ...(error === undefined ? {} : { error: String(error) }) });
  },
};

const redis = new Redis(data.redisUrl, { maxRetriesPerRequest: 2 });
const reader = new Redis(data.redisUrl);
const cache = await RedisLinkCache.open(redis, undefined, data.redisPrefix);
const queue = await RedisVisitLedger.open(redis, reader, data.redisPrefix, data.instanceId);
// The visits' messages are ~250 KB of repetitive JSON, shipped zstd-compressed (ADR 0062) by
// @platformatic/kafka, which builds its record batches from the messages' own buffers where
// kafkajs copied each level of a request into the next: about half the CPU per visit shipped
// (ADR 0066).
const broker = new PlatformaticEventBroker({
  brokers: data.kafkaBrokers,
  clientId: data.clientId,
  compressed: true,
});
const consumer = new KafkaEventConsumer({
  brokers: data.kafkaBrokers,
  clientId: data.clientId,
  topics: [data.topic],
  // A new group reads the topic from its start, so no change made before it joined is missed;
  // old invalidations only drop entries and raise fences. The visits have a topic of their own
  // (ADR 0063): only those an instance older than it shipped here are skipped on their header.
  fromBeginning: true,
  processor: new RedirectCacheInvalidation(cache, data.consumerGroup),
  onError: (error, where) => logger.warn({ err: error }, `redirect cache invalidation: ${where}`),
});
await consumer.start();
const shipper = new VisitShipper({ queue, broker, topic: data.visitsTopic, logger });
shipper.start();

port.on('message', (message: LinkEventsThreadMessage) => {
  if (message.kind !== 'stop') return;
  void (async () => {
    // What was queued ships before the thread ends (the serving thread kept its last visits first).
    await shipper.stop();
    await consumer.stop();
    await broker.close();
    await queue.close();
    await cache.close();
    await redis.quit().catch(() => undefined);
    post({ kind: 'stopped' });
    port.close();
  })();
});
post({ kind: 'ready' });

// Shipping alone: DRAIN_COMMITS (20,000) queue entries of 12 visits each (the bench's commit size,
// in the ledger's format, ADR 0061) are queued in the visit stream, then VisitShipper drains them
// to Kafka as the link events thread does, on this process's main thread. Prints the wall time and
// the process's CPU (user + system, every thread: V8's GC helpers and libuv's pool too) per visit
// shipped. DRAIN_BROKER picks the producer behind the broker port: `kafkajs` or `platformatic`.
// Run it under `node --trace-gc` to count collections. Its stream and topic are removed at the end.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { stackEndpoints } from '@strata/dev-stack';
import { KafkaEventBroker, PlatformaticEventBroker, type EventBroker } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import {
  queuedLinkNameOf,
  visitJsonOf,
} from '../../data-services/engagement-service/src/links/redirect/queued-visit.ts';
import { RedisVisitLedger } from '../../data-services/engagement-service/src/links/redirect/redis-visit-ledger.ts';
import { VisitShipper } from '../../data-services/engagement-service/src/links/redirect/visit-shipper.ts';
import { startCpuProfile } from '../shared/cpu-profile.ts';
import { linkVisitsTopicFor } from '../../data-services/engagement-service/src/links/visits-topic.ts';

const commits = Number(process.env.DRAIN_COMMITS ?? 20_000);
const kind = process.env.DRAIN_BROKER ?? 'kafkajs';
const PER_COMMIT = 12;
const { kafkaBrokers, redisUrl } = stackEndpoints();
const run = `drain${randomBytes(5).toString('hex')}`;
const prefix = `strata-bench:${run}:`;
const topic = linkVisitsTopicFor(run);

async function brokerOf(): Promise<EventBroker & { close(): Promise<void> }> {
  if (kind === 'kafkajs')
    return new KafkaEventBroker({ brokers: kafkaBrokers, clientId: run, compressed: true });
  if (kind === 'platformatic')
    return new PlatformaticEventBroker({ brokers: kafkaBrokers, clientId: run, compressed: true });
  throw new Error(`DRAIN_BROKER=${kind}: kafkajs or platformatic`);
}

const redis = new Redis(redisUrl);
const reader = new Redis(redisUrl);
const ledger = await RedisVisitLedger.open(redis, reader, prefix, 'drain');
const linkId = newId();
const stream = `${prefix}links:visit-stream`;
const keptAt = new Date().toISOString();
for (let start = 0; start < commits; start += 1_000) {
  const pipeline = redis.pipeline();
  for (let commit = start; commit < Math.min(commits, start + 1_000); commit += 1) {
    const visits: string[] = [];
    for (let index = 0; index < PER_COMMIT; index += 1) {
      visits.push(
        visitJsonOf({
          visitId: newId(),
          visitedAt: new Date().toISOString(),
          referrerHost: 'news.example.com',
          userAgentFamily: 'chrome',
          bot: false,
          visitorHash: randomBytes(16).toString('hex'),
        }),
      );
    }
    pipeline.xadd(
      stream,
      '*',
      `${queuedLinkNameOf(linkId, 1, 'ddd-in-typescript', keptAt)}\t${PER_COMMIT}`,
      visits.join(','),
    );
  }
  await pipeline.exec();
}

const broker = await brokerOf();
// Connected and the topic made before the clock starts: a publish of one message, not counted.
await broker.publish([{ topic, key: 'warm-up', value: Buffer.from('{}'), headers: {} }]);
const shipper = new VisitShipper({ queue: ledger, broker, topic, logger: console });
const total = commits * PER_COMMIT;
// DRAIN_CPU_PROF=<file>: a V8 CPU profile of the drain alone (the queuing left out).
const profileTo = process.env.DRAIN_CPU_PROF;
const profile = profileTo === undefined ? undefined : await startCpuProfile();
const wallBefore = performance.now();
const cpuBefore = process.cpuUsage();
console.log('drain: start');
shipper.start();
while (shipper.shipped < total) await new Promise((resolve) => setTimeout(resolve, 5));
const cpu = process.cpuUsage(cpuBefore);
const wall = performance.now() - wallBefore;
console.log('drain: end');
if (profile !== undefined) await writeFile(profileTo!, JSON.stringify(await profile.stop()));
await shipper.stop();
const perVisit = (micros: number) => (micros / total).toFixed(2);
console.log(
  `${kind}: ${total} visits, ${wall.toFixed(0)} ms wall, ${perVisit(cpu.user + cpu.system)} µs CPU per visit shipped (${perVisit(
    cpu.user,
  )} + ${perVisit(cpu.system)})`,
);

await broker.close();
await ledger.close();
await redis.del(stream);
redis.disconnect();
const admin = kafkaClient({ brokers: kafkaBrokers, clientId: `${run}-cleanup` }).admin();
await admin.connect();
await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
await admin.disconnect();

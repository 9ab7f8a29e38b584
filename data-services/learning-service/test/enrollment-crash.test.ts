import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import {
  contractEventCatalog,
  envelopeFor,
  envelopeToMessage,
  KafkaEventBroker,
  replayTopic,
  topicFor,
  type BrokerMessage,
  type DeliveredMessage,
} from '@strata/events';
import { jobQueuePrefix } from '@strata/jobs';
import { learningMapping } from '@strata/learning-service';
import { orderingContract } from '@strata/ordering/contract';
import { openDatabase, type Database } from '@strata/persistence';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { bootMain, type BootedService } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';

// The fault issue 17 names: learning-service is killed (SIGKILL, no goodbye) while OrderPaid events
// are flowing, then started again. Real processes and infrastructure throughout: its main.ts on
// MariaDB, consuming ordering's topic on Kafka; this test stands in for ordering, publishing
// OrderPaid envelopes as ordering's relay would (some twice, some learners buying a course twice
// through two orders on other partitions). At the end every enrollment the topic calls for exists,
// once, each with one EnrollmentGranted.

jest.setTimeout(240_000);

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const deployment = `lcrash${randomBytes(3).toString('hex')}`;
const namespace = deployment;
const service = uniqueService('learning_crash');
const brokers = ['127.0.0.1:9092'];
const topic = topicFor('ordering', namespace);
const events = contractEventCatalog(orderingContract);

const LEARNERS = 120;
const COURSES = [newId(), newId(), newId()];
const BATCH = 15;

function startLearning(): Promise<BootedService> {
  return bootMain(MAIN, {
    STRATA_DATABASE_SERVICE: service,
    STRATA_MIGRATE: '1',
    STRATA_RPC_PLAINTEXT: '1',
    STRATA_REGISTRY: 'none',
    STRATA_EVENT_NAMESPACE: namespace,
    STRATA_DEPLOYMENT: deployment,
  });
}

/** ordering's OrderPaid for one learner's order of `courseIds`, as its relay publishes it. */
function orderPaid(learnerId: string, courseIds: string[]): BrokerMessage {
  const orderId = newId();
  const price = { amount: 1_000, currency: 'EUR' };
  const envelope = envelopeFor(
    {
      type: 'OrderPaid',
      aggregateType: 'Order',
      aggregateId: orderId,
      aggregateVersion: 2,
      occurredAt: new Date(),
      payload: {
        orderId,
        learnerId,
        lines: courseIds.map((courseId) => ({
          courseId,
          instructorId: newId(),
          title: 'Crash course',
          price,
        })),
        total: { amount: price.amount * courseIds.length, currency: 'EUR' },
        paymentId: `pay-${orderId}`,
        paidAt: new Date().toISOString(),
        refundDeadline: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      },
    },
    events.describe('OrderPaid')!.version,
    { correlationId: orderId },
    events.schema,
  );
  return envelopeToMessage(topic, envelope);
}

/** The (learner, course) pairs every OrderPaid on ordering's topic calls for, read from its start to its end. */
async function pairsOnTopic(): Promise<{ pairs: Set<string>; orderPaid: number }> {
  const pairs = new Set<string>();
  let orderPaid = 0;
  await replayTopic({
    brokers,
    topic,
    from: { offset: '0' },
    processor: {
      consumerGroup: `count-${newId()}`,
      async process(message: DeliveredMessage) {
        const envelope = JSON.parse(message.value!.toString('utf8')) as {
          type: string;
          payload: { learnerId: string; lines: { courseId: string }[] };
        };
        if (envelope.type !== 'OrderPaid') return 'skipped';
        orderPaid += 1;
        for (const line of envelope.payload.lines)
          pairs.add(`${envelope.payload.learnerId}:${line.courseId}`);
        return 'handled';
      },
    },
  });
  return { pairs, orderPaid };
}

describe('learning-service killed while OrderPaid events flow, then started again', () => {
  let learning: BootedService | undefined;
  let database: Database | undefined;
  const producer = new KafkaEventBroker({ brokers, clientId: `${deployment}-ordering` });
  const queue = new Queue('learning-service', {
    prefix: jobQueuePrefix(deployment),
    connection: { url: 'redis://127.0.0.1:6379', maxRetriesPerRequest: null },
  });

  afterAll(async () => {
    learning?.child.kill('SIGKILL');
    await producer.close();
    await database?.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await dropDatabase(service);
  });

  const count = async (sql: string, parameters: unknown[] = []) => {
    const [row] = await database!.em().execute<{ n: number | string }[]>(sql, parameters);
    return Number(row?.n);
  };

  it('ends with every enrollment the topic calls for, each once and granted once', async () => {
    learning = await startLearning();
    database = await openDatabase({ ...mysqlDatabase(service), migrateOnStart: false }, learningMapping);

    // Every learner buys one or two courses; a tenth of them buy the same course again through a
    // second order (a race ordering lost), and a tenth of the messages are published twice.
    const messages: BrokerMessage[] = [];
    for (let index = 0; index < LEARNERS; index += 1) {
      const learnerId = newId();
      const bought = index % 3 === 0 ? [COURSES[0]!, COURSES[1]!] : [COURSES[index % COURSES.length]!];
      const paid = orderPaid(learnerId, bought);
      messages.push(paid);
      if (index % 10 === 0) messages.push(paid);
      if (index % 10 === 5) messages.push(orderPaid(learnerId, [bought[0]!]));
    }

    const publish = async (from: number, to: number) => {
      for (let at = from; at < to; at += BATCH)
        await producer.publish(messages.slice(at, Math.min(to, at + BATCH)));
    };
    const half = Math.floor(messages.length / 2);
    await publish(0, half);
    // Killed as soon as it is consuming: some enrollments committed, offsets maybe not, more on the way.
    for (let waited = 0; (await count('select count(*) as n from enrollments')) < 10; waited += 25) {
      if (waited > 60_000) throw new Error('learning-service consumed nothing within a minute');
      await sleep(25);
    }
    learning.child.kill('SIGKILL');
    await learning.exited;
    const killedAt = await count('select count(*) as n from enrollments');
    // The rest flows while it is down and while it starts again.
    const rest = publish(half, messages.length);
    learning = await startLearning();
    await rest;

    const { pairs, orderPaid: published } = await pairsOnTopic();
    expect(published).toBe(messages.length);
    let enrollments = 0;
    for (let waited = 0; waited < 120_000; waited += 500) {
      enrollments = await count('select count(*) as n from enrollments');
      if (enrollments >= pairs.size) break;
      await sleep(500);
    }
    console.log(
      `learning-service crash: ${published} OrderPaid on the topic for ${pairs.size} enrollments; killed at ${killedAt} enrollments; ${enrollments} after the restart`,
    );
    expect(killedAt).toBeLessThan(pairs.size);
    expect(enrollments).toBe(pairs.size);
    const rows = await database
      .em()
      .execute<{ id: string; learner_id: string; course_id: string; status: string }[]>(
        'select id, learner_id, course_id, status from enrollments',
      );
    expect(new Set(rows.map((row) => `${row.learner_id}:${row.course_id}`))).toEqual(pairs);
    expect(rows.every((row) => row.status === 'active')).toBe(true);
    expect(await count(`select count(*) as n from outbox where event_type = 'EnrollmentGranted'`)).toBe(
      pairs.size,
    );
    expect(
      await count(
        `select count(*) as n from (select aggregate_id from outbox where event_type = 'EnrollmentGranted'
           group by aggregate_id having count(*) > 1) as twice`,
      ),
    ).toBe(0);

    learning.child.kill('SIGTERM');
    expect(await learning.exited).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { catalogContract } from '@strata/catalog/contract';
import {
  contractEventCatalog,
  envelopeFor,
  envelopeToMessage,
  KafkaEventBroker,
  KafkaEventConsumer,
  topicFor,
  type BrokerMessage,
} from '@strata/events';
import {
  createLearningService,
  OutlineRebuildRefused,
  rebuildLearningOutlines,
  type LearningService,
  type OutlineRebuildProgress,
} from '@strata/learning-service';
import { databaseNameFor } from '@strata/persistence';
import { dropDatabase, uniqueService } from '@strata/persistence/test-support';
import { mariaDbDataService, type RunningDataService } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';

// Issue 17: "a documented command rebuilds a read model from the topics' start and the result
// equals the live one". The catalog's events go to Kafka under a namespace of this run alone;
// learning-service's own consumer (processor, inbox, handlers) builds `learning_outlines` on
// MariaDB; the rebuild replays the topic (as a function, then as the operator's command) and must
// give the very same rows, and must repair rows the live side got wrong.

jest.setTimeout(180_000);

const brokers = ['127.0.0.1:9092'];
const namespace = `lrnrebuild${randomBytes(3).toString('hex')}`;
const topic = topicFor('catalog', namespace);
const catalogEvents = contractEventCatalog(catalogContract);
const eur = (amount: number) => ({ amount, currency: 'EUR' });

/** One catalog event of a course, as its relay publishes it (key: the course id). */
function catalogEvent(courseId: string, type: string, version: number, payload: object): BrokerMessage {
  const envelope = envelopeFor(
    {
      type,
      aggregateType: 'Course',
      aggregateId: courseId,
      aggregateVersion: version,
      occurredAt: new Date(),
      payload: { courseId, ...payload },
    },
    catalogEvents.describe(type)!.version,
    { correlationId: courseId },
    catalogEvents.schema,
  );
  return envelopeToMessage(topic, envelope);
}

/** A course's life in course order: drafted, three lessons, a reorder, priced, published, changed after. */
function courseHistory(index: number) {
  const courseId = newId();
  const instructorId = newId();
  const [a, b, c, d] = [newId(), newId(), newId(), newId()];
  const events = [
    catalogEvent(courseId, 'CourseDrafted', 1, {
      instructorId,
      title: `Rebuilt course ${index}`,
      description: 'replayed from the topic',
    }),
    catalogEvent(courseId, 'LessonAdded', 2, { lessonId: a, title: 'A', position: 0 }),
    catalogEvent(courseId, 'LessonAdded', 3, { lessonId: b, title: 'B', position: 1 }),
    catalogEvent(courseId, 'LessonAdded', 4, { lessonId: c, title: 'C', position: 2 }),
    catalogEvent(courseId, 'LessonsReordered', 5, { lessonIds: [c, a, b] }),
    catalogEvent(courseId, 'CoursePriceChanged', 6, { price: eur(1_000 + index), previousPrice: null }),
    catalogEvent(courseId, 'CoursePublished', 7, {
      instructorId,
      title: `Rebuilt course ${index}`,
      description: 'replayed from the topic',
      price: eur(1_000 + index),
      lessonCount: 3,
    }),
    catalogEvent(courseId, 'LessonRemoved', 8, { lessonId: a }),
    catalogEvent(courseId, 'LessonAdded', 9, { lessonId: d, title: 'D', position: 2 }),
    catalogEvent(courseId, 'CoursePriceChanged', 10, { price: eur(900), previousPrice: eur(1_000 + index) }),
    catalogEvent(courseId, 'CourseDetailsEdited', 11, {
      title: `Rebuilt course ${index}, edited`,
      description: 'replayed from the topic',
    }),
  ];
  // Every third course is withdrawn at the end.
  if (index % 3 === 0)
    events.push(catalogEvent(courseId, 'CourseUnpublished', 12, { unpublishedBy: instructorId }));
  return { courseId, expectedLessonIds: [c, b, d], withdrawn: index % 3 === 0, events };
}

/** Deterministic shuffle (a small LCG), so a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const COURSES = 8;
const OUTLINE_TYPES = new Set([
  'CoursePublished',
  'CoursePriceChanged',
  'CourseUnpublished',
  'CourseArchived',
  'LessonAdded',
  'LessonRemoved',
  'LessonsReordered',
]);

describe('learning_outlines rebuilt by replaying the catalog topic equals the live projection (MariaDB, Kafka)', () => {
  const service = uniqueService('lrnrebuild');
  const producer = new KafkaEventBroker({ brokers, clientId: `${namespace}-catalog` });
  let learning: RunningDataService<LearningService>;
  let consumers: KafkaEventConsumer[] = [];

  const rows = () =>
    learning.service.database
      .em()
      .execute<Record<string, unknown>[]>('select * from learning_outlines order by course_id');
  const count = async (sql: string, parameters: unknown[] = []) => {
    const [row] = await learning.service.database.em().execute<{ n: number | string }[]>(sql, parameters);
    return Number(row?.n);
  };

  beforeAll(async () => {
    learning = await mariaDbDataService(createLearningService, service, { eventNamespace: namespace });
    // As serveDataService runs it in distributed mode: the service's consumer group on Kafka.
    consumers = learning.service.consumers.map(
      (consumer) =>
        new KafkaEventConsumer({
          brokers,
          clientId: `${namespace}-learning`,
          topics: [...consumer.topics],
          processor: consumer.processor,
        }),
    );
    for (const consumer of consumers) await consumer.start();
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await producer.close();
    await learning?.stop();
  });

  it('rebuilds the live rows exactly, repairs a corrupted and a lost row, and the command does the same', async () => {
    const courses = Array.from({ length: COURSES }, (_, index) => courseHistory(index + 1));
    // Each course's events out of course order on the topic (a relay retry, a slow partition), and
    // some published twice (a relay that lost an ack).
    const stream: BrokerMessage[] = [];
    courses.forEach((course, index) => {
      const arrival = shuffled(course.events, index + 7);
      stream.push(...arrival, ...arrival.filter((_, at) => at % 4 === 0));
    });
    for (let at = 0; at < stream.length; at += 20) await producer.publish(stream.slice(at, at + 20));
    const outlineEvents = new Set(
      courses.flatMap((course) =>
        course.events
          .map((message) => JSON.parse(message.value!.toString()) as { id: string; type: string })
          .filter((envelope) => OUTLINE_TYPES.has(envelope.type))
          .map((envelope) => envelope.id),
      ),
    ).size;

    // The live consumer has built the table once its inbox holds every outline event.
    const group = learning.service.consumers[0]!.processor.consumerGroup;
    for (let waited = 0; ; waited += 250) {
      const handled = await count('select count(*) as n from inbox where consumer_group = ?', [group]);
      if (handled >= outlineEvents) break;
      if (waited > 90_000)
        throw new Error(`the live consumer handled ${handled} of ${outlineEvents} in 90 s`);
      await sleep(250);
    }
    const live = await rows();
    expect(live).toHaveLength(COURSES);
    for (const course of courses) {
      const row = live.find((each) => each.course_id === course.courseId)!;
      expect({
        lessonIds: typeof row.lesson_ids === 'string' ? JSON.parse(row.lesson_ids) : row.lesson_ids,
        price: row.price_amount,
        published: Number(row.published),
      }).toEqual({ lessonIds: course.expectedLessonIds, price: 900, published: course.withdrawn ? 0 : 1 });
    }

    // The live side goes wrong: one row loses its lessons and gets a price from nowhere, one is lost.
    const [corrupted, lost] = [courses[1]!.courseId, courses[4]!.courseId];
    const corrupt = async () => {
      await learning.service.database.em().execute(
        `update learning_outlines set lesson_ids = '[]', lesson_count = 0, price_amount = 1, price_version = 99
           where course_id = ?`,
        [corrupted],
      );
      await learning.service.database
        .em()
        .execute('delete from learning_outlines where course_id = ?', [lost]);
    };
    await corrupt();
    expect(await rows()).not.toEqual(live);

    const progress: OutlineRebuildProgress[] = [];
    const outcome = await rebuildLearningOutlines({
      database: learning.service.database,
      brokers,
      namespace,
      progressEvery: 25,
      onProgress: (step) => progress.push(step),
    });
    const outlineMessages = stream.filter((message) =>
      OUTLINE_TYPES.has((JSON.parse(message.value!.toString()) as { type: string }).type),
    ).length;
    expect(outcome).toEqual({
      read: stream.length,
      applied: outlineMessages,
      skipped: stream.length - outlineMessages,
      failed: 0,
      courses: COURSES,
      changed: [corrupted],
      added: [lost],
      dropped: [],
      failures: [],
    });
    expect(progress.map((step) => step.read)).toEqual(
      Array.from({ length: Math.floor(stream.length / 25) }, (_, index) => (index + 1) * 25),
    );
    expect(await rows()).toEqual(live);

    // The operator's command, from the environment learning-service's main.ts reads.
    await corrupt();
    const run = await rebuildCommand({
      STRATA_DATABASE_SERVICE: service,
      STRATA_KAFKA_BROKERS: brokers.join(','),
      STRATA_EVENT_NAMESPACE: namespace,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(
      `Rebuilt: read ${stream.length} events: outline events ${outlineMessages}, not outline events ` +
        `${stream.length - outlineMessages}, refused 0; ${COURSES} courses; 1 corrected, 1 added, 0 dropped.`,
    );
    expect(run.stdout).toContain(`corrected: ${corrupted}`);
    expect(await rows()).toEqual(live);

    // The consumer is still running and still merges into the rebuilt rows.
    const late = courses[0]!;
    await producer.publish([
      catalogEvent(late.courseId, 'CoursePriceChanged', 13, { price: eur(700), previousPrice: eur(900) }),
    ]);
    for (let waited = 0; ; waited += 250) {
      if (
        (await count('select price_amount as n from learning_outlines where course_id = ?', [
          late.courseId,
        ])) === 700
      )
        break;
      if (waited > 60_000)
        throw new Error('the live consumer did not merge a price change after the rebuild');
      await sleep(250);
    }
  });

  it('refuses to delete courses no event on the topic mentions, changing nothing, unless told to drop them', async () => {
    const stray = newId();
    await learning.service.database.em().execute(
      `insert into learning_outlines (course_id, instructor_id, published, price_amount, lessons,
         reordered_lesson_ids, reorder_version, lesson_ids, lesson_count, price_version, listing_version)
       values (?, ?, 1, 0, '[]', '[]', 0, '[]', 0, 1, 1)`,
      [stray, newId()],
    );
    const before = await rows();
    await expect(
      rebuildLearningOutlines({ database: learning.service.database, brokers, namespace }),
    ).rejects.toThrow(
      new OutlineRebuildRefused(
        `1 of ${COURSES + 1} courses in learning_outlines have no event on ${topic} (e.g. ${stray}): a wrong ` +
          "event namespace, or events older than the topic's retention. Nothing was changed; rebuild with " +
          '--drop-unheard to delete them.',
      ),
    );
    expect(await rows()).toEqual(before);

    const run = await rebuildCommand(
      {
        STRATA_DATABASE_SERVICE: service,
        STRATA_KAFKA_BROKERS: brokers.join(','),
        STRATA_EVENT_NAMESPACE: namespace,
      },
      ['--drop-unheard'],
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('0 corrected, 0 added, 1 dropped.');
    expect(await rows()).toEqual(before.filter((row) => row.course_id !== stray));

    // A namespace with no catalog topic at all is named as such.
    const wrong = await rebuildCommand({
      STRATA_DATABASE_SERVICE: service,
      STRATA_KAFKA_BROKERS: brokers.join(','),
      STRATA_EVENT_NAMESPACE: `${namespace}x`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `cannot read strata.${namespace}x.catalog.events from Kafka at ${brokers[0]}: the topic does not exist`,
    );
  });

  it('says which of MariaDB and Kafka it cannot reach, and which variable is bad (exit codes 1 and 2)', async () => {
    // Three processes that change nothing, so they run side by side.
    const [noKafka, noDatabase, badEnv] = await Promise.all([
      rebuildCommand({
        STRATA_DATABASE_SERVICE: service,
        STRATA_KAFKA_BROKERS: '127.0.0.1:1',
        STRATA_EVENT_NAMESPACE: namespace,
      }),
      rebuildCommand({ STRATA_DATABASE_SERVICE: service, STRATA_MYSQL_PORT: '1' }),
      rebuildCommand({ STRATA_KAFKA_BROKERS: '', STRATA_MYSQL_PORT: 'x' }),
    ]);
    expect(noKafka.code).toBe(1);
    expect(noKafka.stderr).toContain(`cannot read ${topic} from Kafka at 127.0.0.1:1`);
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.stderr).toContain('cannot read learning_outlines on MariaDB at 127.0.0.1:1');
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('STRATA_MYSQL_PORT');
  });

  it('says the table is missing, and exits, when MariaDB answers but the service was never migrated', async () => {
    const unmigrated = uniqueService('lrnrebuild');
    await learning.service.database.em().execute(`create database \`${databaseNameFor(unmigrated)}\``);
    try {
      const run = await rebuildCommand({
        STRATA_DATABASE_SERVICE: unmigrated,
        STRATA_KAFKA_BROKERS: brokers.join(','),
        STRATA_EVENT_NAMESPACE: namespace,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('cannot read learning_outlines on MariaDB');
      expect(run.stderr).toContain('has learning-service been migrated?');
    } finally {
      await dropDatabase(unmigrated);
    }
  });
});

const rebuildMain = fileURLToPath(new URL('../src/rebuild-outlines-main.ts', import.meta.url));

/** `npm run learning:rebuild-outlines` as an operator runs it, with this environment added. */
function rebuildCommand(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', '@strata/runtime/typescript', rebuildMain, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

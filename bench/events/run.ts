// npm run bench:events — events/s and command-to-handled latency through outbox → Kafka → consumer
// (with inbox), beside a plain kafkajs producer → consumer (the adapter's ceiling) and the same plain
// pair on @platformatic/kafka (the candidate replacement adapter), same broker and message size.
import { createConnection } from 'mysql2/promise';
import {
  Consumer,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { stackEndpoints } from '@strata/dev-stack';
import {
  EventProcessor,
  KafkaEventBroker,
  KafkaEventConsumer,
  OutboxRelay,
  SoleLeader,
  topicFor,
} from '@strata/events';
import {
  MikroOrmUnitOfWork,
  SqlInbox,
  SqlOutboxStore,
  databaseNameFor,
  openDatabase,
} from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { CreateTickTable, Tick, tickEvents, tickSchema, tickStorage } from './bench-aggregate.ts';
import { LatencyRecorder } from './latency-recorder.ts';

const events = Number(process.env.BENCH_EVENTS ?? 3_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const noteBytes = Number(process.env.BENCH_NOTE_BYTES ?? 200);
const { mysql, kafkaBrokers: brokers } = stackEndpoints();
const runId = newId().replaceAll('-', '').slice(-10);
const note = 'x'.repeat(noteBytes);
const kafka = new Kafka({ clientId: 'bench-events', brokers, logLevel: logLevel.NOTHING });

async function inParallel(count: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function withTopic<T>(topic: string, body: () => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
  });
  try {
    return await body();
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function outboxPipeline(): Promise<{
  result: ReturnType<LatencyRecorder['summary']>;
  messageBytes: number;
}> {
  const service = `bench_events_${runId}`;
  const context = `bench${runId}`;
  const catalog = tickEvents(context);
  const database = await openDatabase(
    { kind: 'mysql', service, ...mysql, poolSize: concurrency + 4, migrateOnStart: true },
    { entities: [tickSchema], migrations: [CreateTickTable] },
  );
  const recorder = new LatencyRecorder(events);
  const broker = new KafkaEventBroker({ brokers, clientId: 'bench-relay' });
  let messageBytes = 0;
  try {
    return await withTopic(topicFor(context), async () => {
      const consumer = new KafkaEventConsumer({
        brokers,
        clientId: 'bench-consumer',
        topics: [topicFor(context)],
        processor: new EventProcessor({
          consumerGroup: `bench-${runId}`,
          handlers: {
            TickEmitted: async (envelope) => {
              recorder.end(envelope.aggregateId);
            },
          },
          inbox: new SqlInbox(database),
          schema: catalog.schema,
          deadLetters: broker,
        }),
      });
      await consumer.start();
      const relay = new OutboxRelay({
        service,
        store: new SqlOutboxStore(database),
        broker,
        lock: new SoleLeader(),
        idleMs: 5,
      });
      relay.start();
      // Let the consumer join its group before the clock starts.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const uow = new MikroOrmUnitOfWork({
        database,
        aggregates: { Tick: tickStorage },
        events: catalog,
        idempotencyWindowMs: 60_000,
      });
      await inParallel(events, async () => {
        const tick = Tick.emit(note);
        recorder.start(tick.id);
        await uow.run(async (scope) => scope.repository<Tick>('Tick').add(tick));
      });
      await recorder.done;
      const [sample] = await database
        .em()
        .execute<{ envelope: string }[]>('select envelope from outbox limit 1');
      messageBytes = Buffer.byteLength(sample?.envelope ?? '');
      await relay.stop();
      await consumer.stop();
      return { result: recorder.summary(), messageBytes };
    });
  } finally {
    await broker.close();
    await database.close();
    const connection = await createConnection({ ...mysql });
    await connection.query(`drop database if exists \`${databaseNameFor(service)}\``);
    await connection.end();
  }
}

async function plainKafkajs(messageBytes: number): Promise<ReturnType<LatencyRecorder['summary']>> {
  const topic = `bench.plain.${runId}`;
  const recorder = new LatencyRecorder(events);
  return withTopic(topic, async () => {
    const consumer = kafka.consumer({ groupId: `bench-plain-${runId}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        recorder.end(message.key!.toString());
      },
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const value = Buffer.alloc(messageBytes, 'x');
    await inParallel(events, async () => {
      const key = newId();
      recorder.start(key);
      await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    });
    await recorder.done;
    await producer.disconnect();
    await consumer.disconnect();
    return recorder.summary();
  });
}

async function plainPlatformatic(messageBytes: number): Promise<ReturnType<LatencyRecorder['summary']>> {
  const topic = `bench.platformatic.${runId}`;
  const recorder = new LatencyRecorder(events);
  return withTopic(topic, async () => {
    const consumer = new Consumer({
      groupId: `bench-platformatic-${runId}`,
      clientId: 'bench-platformatic',
      bootstrapBrokers: brokers,
      deserializers: stringDeserializers,
      maxWaitTime: 100,
    });
    const stream = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.EARLIEST,
      autocommit: true,
    });
    stream.on('data', (message: { key: string }) => recorder.end(message.key));
    const producer = new Producer({
      clientId: 'bench-platformatic',
      bootstrapBrokers: brokers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      serializers: stringSerializers,
    });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const value = 'x'.repeat(messageBytes);
    await inParallel(events, async () => {
      const key = newId();
      recorder.start(key);
      await producer.send({ messages: [{ topic, key, value }] });
    });
    await recorder.done;
    await stream.close();
    await consumer.close();
    await producer.close();
    return recorder.summary();
  });
}

function row(
  name: string,
  result: ReturnType<LatencyRecorder['summary']>,
  ceiling: ReturnType<LatencyRecorder['summary']>,
): string {
  const ratio = (result.perSecond / ceiling.perSecond).toFixed(2);
  return `${name.padEnd(44)} ${result.perSecond.toFixed(0).padStart(8)} ${result.p50.toFixed(1).padStart(9)} ${result.p99.toFixed(1).padStart(9)} ${ratio.padStart(8)}`;
}

const outbox = await outboxPipeline();
const plain = await plainKafkajs(outbox.messageBytes);
const platformatic = await plainPlatformatic(outbox.messageBytes);
console.log(
  `${events} events, ${concurrency} concurrent producers, ~${outbox.messageBytes} B messages, broker ${brokers.join(',')}`,
);
console.log(
  `${'pipeline'.padEnd(44)} ${'events/s'.padStart(8)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'× plain'.padStart(8)}`,
);
console.log(row('plain kafkajs producer → consumer (ceiling)', plain, plain));
console.log(row('command → outbox → relay → Kafka → inbox', outbox.result, plain));
console.log(row('plain @platformatic/kafka producer → consumer', platformatic, plain));
console.log('latency: from the command (or send) call to the consumer handler, through the same broker');
process.exit(0);

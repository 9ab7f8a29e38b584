// npm run bench:events — events/s and command-to-handled latency through outbox → Kafka → consumer
// (with inbox), beside a plain kafkajs producer → consumer (the adapter's ceiling), the same plain
// pair on @platformatic/kafka (the candidate replacement adapter), Kafka's own producer perf test
// (the broker's ceiling) and the pipeline as it ran before issue 21 (a message at a time), same
// broker and message size; then the pipeline at a fixed 1,000 events/s for its latency. Every row
// also gives the CPU µs per event of each process it involves (bench/events/cpu-meter.ts).
import { writeFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import { stackEndpoints } from '@strata/dev-stack';
import { KafkaEventBroker, OutboxRelay, SoleLeader, topicFor } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { MikroOrmUnitOfWork, SqlOutboxStore, databaseNameFor, openDatabase } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { CreateTickTable, Tick, tickEvents, tickSchema, tickStorage } from './bench-aggregate.ts';
import type { ConsumerSpec } from './bench-consumer.ts';
import { consumerPlacement, hostConsumer } from './consumer-host.ts';
import { cpuMeter, type CpuPerEvent } from './cpu-meter.ts';
import { fetchKafkaTools, producerPerfTest } from './kafka-perf-test.ts';
import { LatencyRecorder } from './latency-recorder.ts';
import { loopTrace } from './loop-trace.ts';
import { PlatformaticEventBroker } from './platformatic-event-broker.ts';
import { StageClock } from './stage-clock.ts';

const events = Number(process.env.BENCH_EVENTS ?? 3_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const noteBytes = Number(process.env.BENCH_NOTE_BYTES ?? 200);
const fixedRate = Number(process.env.BENCH_RATE ?? 1_000);
const perfTestRecords = Number(process.env.BENCH_PERF_TEST_RECORDS ?? 50_000);
/**
 * Events each plain and outbox row sends first, the same way (closed loop or at the row's rate),
 * through the same processes, pools and connections, and leaves out of its figures: a row then
 * measures a running pipeline rather than its first second (pools opening, code not yet compiled).
 */
const warmupEvents = Number(process.env.BENCH_WARMUP ?? 0);
/** Which rows run (comma-separated names, see `rowNames`); all by default. */
const rowNames = [
  'batched',
  'before',
  'pf',
  'plain',
  'platformatic',
  'perftest',
  'paced',
  'pacedbefore',
  'pacedplain',
] as const;
const onlyRows = new Set(
  (process.env.BENCH_ROWS ?? rowNames.join(',')).split(',').map((name) => name.trim()),
);
/** Per-stage instants of the outbox rows (commit, relay read, Kafka ack, handler, inbox commit). */
const stagesOn = process.env.BENCH_STAGES === '1';
const { mysql, kafkaBrokers: brokers } = stackEndpoints();
const runId = newId().replaceAll('-', '').slice(-10);
const note = 'x'.repeat(noteBytes);
const kafka = kafkaClient({ clientId: 'bench-events', brokers });

async function inParallel(count: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Sends `warmupEvents` through `send` and waits for them; answers the recorder of the measured events. */
async function warmedUp(
  recorder: LatencyRecorder,
  send: () => Promise<void>,
  rate: number | undefined,
  clock?: StageClock,
): Promise<LatencyRecorder> {
  if (warmupEvents === 0) return recorder;
  await (rate === undefined ? inParallel(warmupEvents, send) : atRate(warmupEvents, rate, send));
  await recorder.done;
  clock?.clear();
  return new LatencyRecorder(events);
}

/** An open loop: `count` tasks started at `perSecond`, in 10 ms ticks, whether earlier ones finished or not. */
async function atRate(
  count: number,
  perSecond: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  const running: Promise<void>[] = [];
  const startedAt = performance.now();
  for (let index = 0; index < count; index += 1) {
    const due = startedAt + (index * 1_000) / perSecond;
    const wait = due - performance.now();
    if (wait > 10) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(task(index));
  }
  await Promise.all(running);
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

/** Starts a row's consumer (its own process unless BENCH_CONSUMER=same), feeding the recorder and clock. */
function consumerFor(spec: ConsumerSpec, recorder: () => LatencyRecorder, clock?: StageClock) {
  return hostConsumer(spec, ([key, stage, at]) => {
    if (stage === 'handled') recorder().end(key, at);
    clock?.mark(key, stage, at);
  });
}

/**
 * `batched`: the pipeline as it is, the consumer taking each partition batch in one inbox
 * transaction and the relay woken by commits; otherwise as before issue 21, a message at a time
 * (one transaction and one offset commit each) and a relay that polls every 5 ms.
 */
async function outboxPipeline(
  label: string,
  options: { batched: boolean; rate?: number; broker?: 'kafkajs' | 'platformatic' },
): Promise<{
  result: Measured;
  messageBytes: number;
  stages: string[];
}> {
  const service = `bench_events_${label}_${runId}`;
  const context = `bench${label}${runId}`;
  const catalog = tickEvents(context);
  const databaseConfig = { kind: 'mysql', service, ...mysql, poolSize: concurrency + 4 };
  const database = await openDatabase(
    { ...databaseConfig, migrateOnStart: true },
    { entities: [tickSchema], migrations: [CreateTickTable] },
  );
  let recorder = new LatencyRecorder(warmupEvents || events);
  const clock = stagesOn ? new StageClock() : undefined;
  const innerBroker =
    options.broker === 'platformatic'
      ? new PlatformaticEventBroker({ brokers, clientId: 'bench-relay' })
      : new KafkaEventBroker({ brokers, clientId: 'bench-relay' });
  const broker = clock ? clock.broker(innerBroker) : innerBroker;
  let messageBytes = 0;
  try {
    return await withTopic(topicFor(context), async () => {
      // The consuming service's pool: a few connections, as its inbox needs.
      const consumer = await consumerFor(
        {
          kind: 'strata',
          brokers,
          topic: topicFor(context),
          group: `bench-${runId}`,
          context,
          database: { ...databaseConfig, poolSize: 4 },
          maxBatchSize: options.batched ? 200 : 1,
          stages: stagesOn,
        },
        () => recorder,
        clock,
      );
      const sqlStore = new SqlOutboxStore(database);
      const store = clock ? clock.store(sqlStore) : sqlStore;
      const relay = new OutboxRelay({
        service,
        // Without `onCommit` the relay only polls, as it did before issue 21.
        store: options.batched
          ? store
          : {
              fetchUnsent: (limit) => store.fetchUnsent(limit),
              markSent: (sequences) => store.markSent(sequences),
              backlog: () => store.backlog(),
            },
        broker,
        lock: new SoleLeader(),
        idleMs: options.batched ? 50 : 5,
        // The relay of before issue 21 read again as soon as a round ended.
        ...(options.batched ? {} : { minRoundMs: 0 }),
      });
      relay.start();
      const uow = new MikroOrmUnitOfWork({
        database,
        aggregates: { Tick: tickStorage },
        events: catalog,
        idempotencyWindowMs: 60_000,
      });
      const command = async () => {
        const tick = Tick.emit(note);
        recorder.start(tick.id);
        clock?.mark(tick.id, 'called');
        await uow.run(async (scope) => scope.repository<Tick>('Tick').add(tick));
        clock?.mark(tick.id, 'committed');
      };
      recorder = await warmedUp(recorder, command, options.rate, clock);
      const loop = process.env.BENCH_TRACE ? loopTrace() : undefined;
      const meter = cpuMeter({ consumerPid: consumer.pid, database: true });
      await (options.rate === undefined
        ? inParallel(events, command)
        : atRate(events, options.rate, command));
      await recorder.done;
      const cpu = meter.perEvent(events);
      traceLatencies(label, recorder);
      const [sample] = await database
        .em()
        .execute<{ envelope: string }[]>('select envelope from outbox limit 1');
      messageBytes = Buffer.byteLength(sample?.envelope ?? '');
      await relay.stop();
      await consumer.stop();
      if (loop) writeFileSync(`${process.env.BENCH_TRACE}/bench-${label}.json`, JSON.stringify(loop.stop()));
      if (clock && process.env.BENCH_TRACE)
        writeFileSync(`${process.env.BENCH_TRACE}/stages-${label}.json`, JSON.stringify(clock.entries()));
      return { result: { ...recorder.summary(), cpu }, messageBytes, stages: clock?.summary() ?? [] };
    });
  } finally {
    await innerBroker.close();
    await database.close();
    const connection = await createConnection({ ...mysql });
    await connection.query(`drop database if exists \`${databaseNameFor(service)}\``);
    await connection.end();
  }
}

/** BENCH_TRACE=<dir>: a row's latencies (start instant, ms) in `<dir>/latencies-<row>.json`. */
function traceLatencies(row: string, recorder: LatencyRecorder): void {
  if (process.env.BENCH_TRACE)
    writeFileSync(`${process.env.BENCH_TRACE}/latencies-${row}.json`, JSON.stringify(recorder.samples()));
}

async function plainKafkajs(messageBytes: number, rate?: number): Promise<Measured> {
  const topic = `bench.plain${rate ?? ''}.${runId}`;
  let recorder = new LatencyRecorder(warmupEvents || events);
  return withTopic(topic, async () => {
    const consumer = await consumerFor(
      { kind: 'kafkajs', brokers, topic, group: `bench-plain${rate ?? ''}-${runId}` },
      () => recorder,
    );
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const value = Buffer.alloc(messageBytes, 'x');
    const send = async () => {
      const key = newId();
      recorder.start(key);
      await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    };
    recorder = await warmedUp(recorder, send, rate);
    const meter = cpuMeter({ consumerPid: consumer.pid, database: false });
    await (rate === undefined ? inParallel(events, send) : atRate(events, rate, send));
    await recorder.done;
    const cpu = meter.perEvent(events);
    traceLatencies(`plain${rate ?? ''}`, recorder);
    await producer.disconnect();
    await consumer.stop();
    return { ...recorder.summary(), cpu };
  });
}

async function plainPlatformatic(messageBytes: number): Promise<Measured> {
  const topic = `bench.platformatic.${runId}`;
  const recorder = new LatencyRecorder(events);
  return withTopic(topic, async () => {
    const consumer = await consumerFor(
      { kind: 'platformatic', brokers, topic, group: `bench-platformatic-${runId}` },
      () => recorder,
    );
    const producer = new Producer({
      clientId: 'bench-platformatic',
      bootstrapBrokers: brokers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      serializers: stringSerializers,
    });
    const meter = cpuMeter({ consumerPid: consumer.pid, database: false });
    const value = 'x'.repeat(messageBytes);
    await inParallel(events, async () => {
      const key = newId();
      recorder.start(key);
      await producer.send({ messages: [{ topic, key, value }] });
    });
    await recorder.done;
    const cpu = meter.perEvent(events);
    await consumer.stop();
    await producer.close();
    return { ...recorder.summary(), cpu };
  });
}

/** A row's throughput and latency, and the CPU per event its processes spent meanwhile. */
type Measured = ReturnType<LatencyRecorder['summary']> & { cpu: CpuPerEvent };

function row(
  name: string,
  result: Measured,
  plain: Measured | undefined,
  ceiling: Measured | undefined,
): string {
  const ratio = plain === undefined ? 'n/a' : (result.perSecond / plain.perSecond).toFixed(2);
  const ofCeiling = ceiling === undefined ? 'n/a' : (result.perSecond / ceiling.perSecond).toFixed(3);
  // Whole µs: /proc counts CPU in 10 ms ticks, 3 µs an event over 3,000 events.
  const micros = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(0));
  const { cpu } = result;
  return `${name.padEnd(58)} ${result.perSecond.toFixed(0).padStart(8)} ${result.p50.toFixed(1).padStart(9)} ${result.p99.toFixed(1).padStart(9)} ${ratio.padStart(8)} ${ofCeiling.padStart(10)} ${micros(cpu.bench).padStart(21)} ${micros(cpu.consumer).padStart(9)} ${micros(cpu.mariadb).padStart(9)} ${micros(cpu.kafka).padStart(7)} ${micros(cpu.total).padStart(7)}`;
}

const progress = (what: string) => process.stderr.write(`bench:events: ${what}\n`);
type Pipeline = Awaited<ReturnType<typeof outboxPipeline>>;
const runs = (name: (typeof rowNames)[number]) => onlyRows.has(name);
// The message size of the plain rows is the outbox's envelope; without the batched row, measured once here.
const messageBytesOf = async (): Promise<number> =>
  (await outboxPipeline('size', { batched: true })).messageBytes;
let outbox: Pipeline | undefined;
let before: Pipeline | undefined;
let onPlatformatic: Pipeline | undefined;
if (runs('batched')) {
  progress('outbox pipeline, batched');
  outbox = await outboxPipeline('after', { batched: true });
}
if (runs('before')) {
  progress('outbox pipeline, a message at a time');
  before = await outboxPipeline('before', { batched: false });
}
if (runs('pf')) {
  progress('outbox pipeline, relay on @platformatic/kafka');
  onPlatformatic = await outboxPipeline('pf', { batched: true, broker: 'platformatic' });
}
const needsSize = runs('plain') || runs('platformatic') || runs('perftest') || runs('pacedplain');
const messageBytes = outbox?.messageBytes ?? (needsSize ? await messageBytesOf() : 0);
let plain: Measured | undefined;
if (runs('plain')) {
  progress('plain kafkajs');
  plain = await plainKafkajs(messageBytes);
}
let platformatic: Measured | undefined;
if (runs('platformatic')) {
  progress('plain @platformatic/kafka');
  platformatic = await plainPlatformatic(messageBytes);
}
const perfTopic = `bench.perftest.${runId}`;
let perfTest: Measured | string = 'not asked for (BENCH_ROWS)';
if (runs('perftest')) {
  progress('kafka-producer-perf-test');
  perfTest =
    fetchKafkaTools() ??
    (await withTopic(perfTopic, async () => {
      // No consumer: the producer's JVM is counted in the bench column, as the bench's child.
      const meter = cpuMeter({ consumerPid: undefined, database: false });
      const result = producerPerfTest({
        topic: perfTopic,
        records: perfTestRecords,
        recordBytes: messageBytes,
        brokers,
      });
      return typeof result === 'string' ? result : { ...result, cpu: meter.perEvent(result.count) };
    }));
}
const ceiling = typeof perfTest === 'string' ? undefined : perfTest;
progress(`at ${fixedRate} events/s`);
const paced = runs('paced') ? await outboxPipeline('paced', { batched: true, rate: fixedRate }) : undefined;
const pacedBefore = runs('pacedbefore')
  ? await outboxPipeline('pacedbefore', { batched: false, rate: fixedRate })
  : undefined;
const pacedPlain = runs('pacedplain') ? await plainKafkajs(messageBytes, fixedRate) : undefined;

console.log(
  `${events} events${warmupEvents > 0 ? ` after ${warmupEvents} of warm-up (BENCH_WARMUP; not for the platformatic row)` : ''}, ${concurrency} concurrent producers, ~${messageBytes} B messages, broker ${brokers.join(',')}, every consumer ${consumerPlacement === 'process' ? 'in a process of its own' : "in the bench's process"} (BENCH_CONSUMER)`,
);
const header = `${'pipeline'.padEnd(58)} ${'events/s'.padStart(8)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'× plain'.padStart(8)} ${'× ceiling'.padStart(10)} ${'CPU µs/event: bench'.padStart(21)} ${'consumer'.padStart(9)} ${'MariaDB*'.padStart(9)} ${'Kafka*'.padStart(7)} ${'total'.padStart(7)}`;
console.log(header);
const print = (name: string, result: Measured | undefined, stages: string[] = []) => {
  if (result === undefined) return;
  console.log(row(name, result, plain, ceiling));
  for (const line of stages) console.log(line);
};
if (ceiling) print(`kafka-producer-perf-test, ${perfTestRecords} records (broker)`, ceiling);
else if (runs('perftest')) console.log(`kafka-producer-perf-test (broker ceiling): not run: ${perfTest}`);
print('plain kafkajs producer → consumer (client ceiling)', plain);
print('plain @platformatic/kafka producer → consumer', platformatic);
print('command → outbox → relay → Kafka → inbox (batched)', outbox?.result, outbox?.stages);
print('  same, relay on @platformatic/kafka behind the port', onPlatformatic?.result, onPlatformatic?.stages);
print('  same, a message at a time (before issue 21)', before?.result, before?.stages);
console.log(`at a fixed ${fixedRate} events/s (open loop, ${events} events):`);
print('command → outbox → relay → Kafka → inbox (batched)', paced?.result, paced?.stages);
print('  same, a message at a time (before issue 21)', pacedBefore?.result, pacedBefore?.stages);
print('plain kafkajs producer → consumer', pacedPlain);
console.log(
  'latency: from the command (or send) call to the consumer handler, commit included, through the same broker;',
);
console.log(
  'the perf test is producer only (acks=all, Java client batching) and its latency is send to ack; × ceiling divides by it',
);
console.log(
  `CPU µs/event: user + system CPU of each process from /proc/<pid>/stat, from just before the first event to the last handled, ÷ events; bench: the bench's process (producers, and the relay of the outbox rows${consumerPlacement === 'same' ? ', and every consumer' : ''}), for the perf test its JVM, start-up included; consumer: the row's consumer process; –: not part of the row`,
);
console.log(
  "* shared servers (the dev stack's MariaDB and Kafka broker): their idle work and anyone else's use in those seconds counts too",
);
process.exit(0);

import { Consumer, MessagesStreamModes, stringDeserializers } from '@platformatic/kafka';
import type { Consumer as KafkajsConsumer } from 'kafkajs';
import { EventProcessor, KafkaEventBroker, KafkaEventConsumer, type DeliveredMessage } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { SqlInbox, openDatabase } from '@strata/persistence';
import { tickEvents, tickSchema } from './bench-aggregate.ts';
import { consumerTrace } from './consumer-trace.ts';
import { monotonicMs } from './monotonic-clock.ts';
import { StageClock, type Stage } from './stage-clock.ts';

/** What consumes a row's topic: the Strata consumer service, or a plain client's consumer. */
export type ConsumerSpec =
  | {
      kind: 'strata';
      brokers: string[];
      topic: string;
      group: string;
      /** The bench context whose catalog the events belong to. */
      context: string;
      /** The data service's database config (the inbox lives beside the producer's tables). */
      database: Record<string, unknown>;
      maxBatchSize: number;
      stages: boolean;
    }
  | { kind: 'kafkajs'; brokers: string[]; topic: string; group: string }
  | { kind: 'platformatic'; brokers: string[]; topic: string; group: string };

/** An instant an event reached on the consumer's side, on the shared monotonic clock. */
export type ConsumerMark = [key: string, stage: Stage, at: number];

export interface RunningConsumer {
  stop(): Promise<void>;
}

/** A stage clock whose marks go to `report` (the bench's clock, possibly in another process). */
class ReportingClock extends StageClock {
  readonly #report: (mark: ConsumerMark) => void;
  constructor(report: (mark: ConsumerMark) => void) {
    super();
    this.#report = report;
  }
  override mark(key: string, stage: Stage, at: number = monotonicMs()): void {
    this.#report([key, stage, at]);
  }
}

/**
 * Starts the consumer of a row and resolves once it has joined its group (the same 4 s wait every
 * row had). Every handled message is reported as a `handled` mark with the instant it was handled.
 */
export async function startConsumer(
  spec: ConsumerSpec,
  report: (mark: ConsumerMark) => void,
): Promise<RunningConsumer> {
  const joined = () => new Promise((resolve) => setTimeout(resolve, 4_000));
  if (spec.kind === 'kafkajs') {
    const kafka = kafkaClient({
      clientId: 'bench-events',
      brokers: spec.brokers,
    });
    const consumer = kafka.consumer({ groupId: spec.group });
    await consumer.connect();
    await consumer.subscribe({ topics: [spec.topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => report([message.key!.toString(), 'handled', monotonicMs()]),
    });
    await joined();
    return { stop: () => consumer.disconnect() };
  }
  if (spec.kind === 'platformatic') {
    const consumer = new Consumer({
      groupId: spec.group,
      clientId: 'bench-platformatic',
      bootstrapBrokers: spec.brokers,
      deserializers: stringDeserializers,
      maxWaitTime: 100,
    });
    const stream = await consumer.consume({
      topics: [spec.topic],
      mode: MessagesStreamModes.EARLIEST,
      autocommit: true,
    });
    stream.on('data', (message: { key: string }) => report([message.key, 'handled', monotonicMs()]));
    await joined();
    return {
      stop: async () => {
        await stream.close();
        await consumer.close();
      },
    };
  }
  const database = await openDatabase(
    { ...spec.database, migrateOnStart: false },
    { entities: [tickSchema] },
  );
  const clock = spec.stages ? new ReportingClock(report) : undefined;
  const eventKeys = new Map<string, string>();
  const deadLetters = new KafkaEventBroker({ brokers: spec.brokers, clientId: 'bench-dead-letters' });
  const catalog = tickEvents(spec.context);
  const processor = new EventProcessor({
    consumerGroup: spec.group,
    handlers: {
      TickEmitted: async (envelope) => {
        report([envelope.aggregateId, 'handled', monotonicMs()]);
        if (clock) eventKeys.set(envelope.id, envelope.aggregateId);
      },
    },
    inbox: clock ? clock.inbox(new SqlInbox(database), (id) => eventKeys.get(id)) : new SqlInbox(database),
    schema: catalog.schema,
    deadLetters,
  });
  let trace: ReturnType<typeof consumerTrace> | undefined;
  const dispatched = (messages: readonly DeliveredMessage[]) => {
    if (clock) for (const message of messages) clock.mark(message.key, 'dispatched');
  };
  const consumer: KafkaEventConsumer = new KafkaEventConsumer({
    brokers: spec.brokers,
    clientId: 'bench-consumer',
    topics: [spec.topic],
    maxBatchSize: spec.maxBatchSize,
    processor: {
      consumerGroup: processor.consumerGroup,
      process: (message) => {
        dispatched([message]);
        return trace ? trace.call(1, () => processor.process(message)) : processor.process(message);
      },
      processBatch: (messages) => {
        dispatched(messages);
        return trace
          ? trace.call(messages.length, () => processor.processBatch(messages))
          : processor.processBatch(messages);
      },
    },
  });
  const traceDir = process.env.BENCH_TRACE;
  if (traceDir) {
    trace = consumerTrace(traceDir, (consumer as unknown as { consumer: KafkajsConsumer }).consumer);
    trace.timeSql(database.orm.em.getConnection() as unknown as Record<string, unknown>);
  }
  await consumer.start();
  await joined();
  return {
    stop: async () => {
      await consumer.stop();
      trace?.write();
      await deadLetters.close();
      await database.close();
    },
  };
}

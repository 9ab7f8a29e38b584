import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { sqliteDataService, type RunningDataService } from '@strata/runtime/test-support';
import { stackEndpoints } from '@strata/dev-stack';
import {
  contractEventCatalog,
  envelopeToMessage,
  EventProcessor,
  KafkaEventBroker,
  KafkaEventConsumer,
  parseEnvelope,
  topicFor,
  type EventEnvelope,
  type ProcessOutcome,
} from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { SqlInbox } from '@strata/persistence';
import { docExamples } from './doc-examples.ts';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

jest.setTimeout(90_000);

// A producer written from docs/event-envelope.md alone: the document's example envelope and
// message, published with plain kafkajs (not Strata's relay), must be what Strata itself would
// write and what Strata's consumer accepts and hands to its handler.

const brokers = stackEndpoints().kafkaBrokers;
const run = randomBytes(6).toString('hex');
const schema = contractEventCatalog(catalogContract).schema;

interface DocumentedMessage {
  topic: string;
  key: string;
  headers: Record<string, string>;
}

describe('docs/event-envelope.md, followed by a producer that knows nothing else', () => {
  let envelopeText: string;
  let message: DocumentedMessage;

  beforeAll(async () => {
    const examples = await docExamples('event-envelope.md');
    envelopeText = examples.get('envelope')!.json!;
    message = JSON.parse(examples.get('message')!.json!) as DocumentedMessage;
  });

  it("shows an envelope Strata's schema accepts as it is, on the topic and with the key and headers Strata writes", () => {
    const documented = JSON.parse(envelopeText) as EventEnvelope;
    const parsed = parseEnvelope(JSON.parse(envelopeText), schema);
    expect(parsed).toEqual(documented);
    expect(topicFor('catalog')).toBe(message.topic);
    const written = envelopeToMessage(topicFor('catalog'), parsed);
    expect({ topic: written.topic, key: written.key, headers: written.headers }).toEqual(message);
    expect(JSON.parse(written.value.toString('utf8'))).toEqual(documented);
  });

  describe('published to Kafka by plain kafkajs', () => {
    // A topic of this run's own: a made-up CourseDrafted on strata.catalog.events would reach
    // every other consumer of the catalog sharing this broker.
    const topic = `${topicFor('catalog')}.doc-${run}`;
    const kafka = kafkaClient({ clientId: 'envelope-docs-test', brokers });
    const handled: EventEnvelope[] = [];
    const outcomes: ProcessOutcome[] = [];
    let running: RunningDataService<CommerceService>;
    let deadLetters: KafkaEventBroker;
    let consumer: KafkaEventConsumer;

    beforeAll(async () => {
      // Only for its database's inbox table, which the consumer records handled events in.
      running = await sqliteDataService((options) =>
        createCommerceService({
          ...options,
          paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
        }),
      );
      deadLetters = new KafkaEventBroker({ brokers, clientId: 'envelope-docs-test' });
      const processor = new EventProcessor({
        consumerGroup: `envelope-docs-${run}`,
        handlers: { CourseDrafted: async (envelope) => void handled.push(envelope) },
        inbox: new SqlInbox(running.service.database),
        schema,
        deadLetters,
      });
      consumer = new KafkaEventConsumer({
        brokers,
        clientId: 'envelope-docs-test-consumer',
        topics: [topic],
        processor: {
          consumerGroup: processor.consumerGroup,
          process: async (delivered) => {
            const outcome = await processor.process(delivered);
            outcomes.push(outcome);
            return outcome;
          },
        },
      });
      await consumer.start();
    });

    afterAll(async () => {
      await consumer?.stop();
      await deadLetters?.close();
      await running?.stop();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    });

    it("is accepted by Strata's consumer, which hands the handler the documented envelope", async () => {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic,
        messages: [{ key: message.key, value: envelopeText, headers: message.headers }],
      });
      await producer.disconnect();
      // 45 s of time (it was 300 checks 100 ms apart, ~30 s), under this file's 90 s.
      await waitFor('the consumer to handle the published envelope', () => outcomes.length > 0, {
        timeoutMs: 45_000,
        everyMs: 100,
      });
      expect(outcomes).toEqual(['handled']);
      expect(handled).toEqual([JSON.parse(envelopeText)]);
    });
  });
});

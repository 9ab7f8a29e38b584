import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { kafkaEventFeed, topicFor, type MessageProcessor } from '@strata/events';
import { Registry } from 'prom-client';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { brokers, createTopics, deleteTopics, producer } from './support/kafka.ts';

jest.setTimeout(120_000);

/** A processor that only counts: the feed's metering, not the handling, is under test. */
function countingProcessor(consumerGroup: string): MessageProcessor & { seen: number } {
  const processor = {
    consumerGroup,
    seen: 0,
    async process() {
      processor.seen += 1;
      return 'handled' as const;
    },
  };
  return processor;
}

/** The registry's samples of one family, as `{labels} value` per line of the text Prometheus scrapes. */
async function samples(registry: Registry, family: string): Promise<Map<string, number>> {
  const text = await registry.metrics();
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${family}(\\{[^}]*\\}) (\\S+)$`).exec(line);
    if (match !== null) found.set(match[1]!, Number(match[2]));
  }
  return found;
}

describe("an application service's Kafka feeds, given the process's registry", () => {
  const run = `feedmetrics${Date.now()}`;
  const contexts = [`${run}a`, `${run}b`];
  const topics = contexts.map((context) => topicFor(context));
  const groups = contexts.map((context) => `group-${context}`);
  const registry = new Registry();
  const processors = groups.map(countingProcessor);
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    await createTopics(topics, 2);
    const sender = producer();
    await sender.connect();
    // Three messages on the first context's topic, two on the second's.
    await sender.send({
      topic: topics[0]!,
      messages: ['1', '2', '3'].map((value) => ({ key: value, value })),
    });
    await sender.send({ topic: topics[1]!, messages: ['1', '2'].map((value) => ({ key: value, value })) });
    await sender.disconnect();
    // Two feeds in one process on one registry, as learner-api runs its catalog and notification feeds.
    for (const [index, context] of contexts.entries()) {
      const feed = kafkaEventFeed({
        brokers,
        clientId: `feed-metrics-${index}`,
        context,
        onError: () => undefined,
        metrics: registry,
      });
      stops.push(await feed.start(processors[index]!));
    }
  });

  afterAll(async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
    await deleteTopics(topics);
  });

  it('count every message by group and outcome', async () => {
    await waitFor('both feeds to drain', () => processors[0]!.seen === 3 && processors[1]!.seen === 2, {
      timeoutMs: 60_000,
    });
    const consumed = await samples(registry, 'strata_events_consumed_total');
    expect(consumed.get(`{group="${groups[0]}",outcome="handled"}`)).toBe(3);
    expect(consumed.get(`{group="${groups[1]}",outcome="handled"}`)).toBe(2);
  });

  it("report each group's lag per partition in one family, and stop reporting a stopped feed's", async () => {
    const lagLines = (lags: Map<string, number>) =>
      [...lags.keys()].filter((labels) => labels.includes(run)).sort();
    // Offsets are committed after processing: the lag reaches zero once they are.
    await waitFor(
      'every partition of both groups to show no lag',
      async () => {
        const lags = await samples(registry, 'strata_kafka_consumer_lag');
        return lagLines(lags).length === 4 && [...lags.values()].every((lag) => lag === 0);
      },
      { timeoutMs: 60_000 },
    );
    expect(lagLines(await samples(registry, 'strata_kafka_consumer_lag'))).toEqual(
      [0, 1].flatMap((index) =>
        [0, 1].map(
          (partition) => `{group="${groups[index]}",topic="${topics[index]}",partition="${partition}"}`,
        ),
      ),
    );
    await stops.shift()!();
    expect(lagLines(await samples(registry, 'strata_kafka_consumer_lag'))).toEqual([
      `{group="${groups[1]}",topic="${topics[1]}",partition="0"}`,
      `{group="${groups[1]}",topic="${topics[1]}",partition="1"}`,
    ]);
  });
});

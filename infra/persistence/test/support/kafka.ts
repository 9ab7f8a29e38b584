import { stackEndpoints } from '@strata/dev-stack';
import { FETCH_MAX_WAIT_MS, headersOf } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';

export const brokers = stackEndpoints().kafkaBrokers;
const kafka = kafkaClient({ clientId: 'strata-test', brokers });

export async function createTopics(topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}

/** Every message now in a topic (read by offsets, no consumer group). */
export async function readAll(
  topic: string,
): Promise<{ key: string; value: string; headers: Record<string, string> }[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = offsets.reduce((sum, { low, high }) => sum + Number(high) - Number(low), 0);
  const messages: { key: string; value: string; headers: Record<string, string> }[] = [];
  if (expected === 0) return messages;
  // Its disconnect waits for the fetch in hand: not kafkajs's 5 s (ADR 0071).
  const consumer = kafka.consumer({
    groupId: `strata-test-read-${topic}-${Date.now()}`,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      messages.push({
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers: headersOf(message.headers),
      });
    },
  });
  await waitFor(`reading ${expected} messages from ${topic}`, () => messages.length >= expected, {
    timeoutMs: 30_000,
  });
  await consumer.disconnect();
  return messages;
}

export function producer() {
  return kafka.producer();
}

import {
  replayTopic,
  type BrokerMessage,
  type DeliveredMessage,
  type EventBroker,
  type MessageProcessor,
  type ProcessOutcome,
} from '@strata/events';
import { newId } from '@strata/shared-kernel';
import { orderingEventsTopic } from './ordering-event-feed.ts';
import { salesProcessor } from './sales-projection.ts';
import type { SalesReadModel } from './sales-read-model.ts';

/** How far a rebuild has come: events read from the topic and what became of each. */
export interface RebuildProgress {
  read: number;
  /** OrderPaid and OrderRefunded events counted into the figures. */
  applied: number;
  /** Sales events whose id was already counted (the live consumer got there first). */
  duplicates: number;
  /** Ordering's other events (OrderPlaced, OrderCancelled, …): not sales, nothing to count. */
  skipped: number;
  /** Events that could not be counted: an envelope the contract refuses, or a read model that kept failing. */
  failed: number;
}

export interface RebuildOutcome extends RebuildProgress {
  /** Courses with figures once the replay is done. */
  courses: number;
  /** Where each failed event sits on the topic, and why it failed. */
  failures: { partition: number; offset: string; reason: string }[];
}

const COUNTED: Record<ProcessOutcome, keyof RebuildProgress> = {
  handled: 'applied',
  duplicate: 'duplicates',
  skipped: 'skipped',
  'dead-lettered': 'failed',
};

/**
 * Rebuilds the sales read model from ordering's topic: clears it, then replays the topic from its
 * first retained event up to its end as of the start, through the same processor the live consumer
 * uses, under a fresh consumer group that commits nothing. Live studio-api instances may keep
 * consuming meanwhile: an event both count is applied once (by event id), and an event published
 * after the replay's end is the live consumer's. The figures read low until the replay ends.
 */
export async function rebuildSalesReadModel(options: {
  readModel: SalesReadModel;
  brokers: string[];
  /** The deployment's name in the topic; see STRATA_EVENT_NAMESPACE. */
  namespace?: string;
  /** The live consumer group; the rebuild's own is named after it. */
  consumerGroup: string;
  /** Called after every `progressEvery` events read. */
  onProgress?: (progress: RebuildProgress) => void;
  progressEvery?: number;
}): Promise<RebuildOutcome> {
  const progress: RebuildProgress = { read: 0, applied: 0, duplicates: 0, skipped: 0, failed: 0 };
  const failures: RebuildOutcome['failures'] = [];
  // A failed event is reported by the rebuild, not published to a dead-letter topic of a group
  // that exists only for this run, where nobody would look.
  const reported: EventBroker = {
    publish: async (messages: readonly BrokerMessage[]) => {
      for (const message of messages) {
        failures.push({
          partition: Number(message.headers['dlq-original-partition'] ?? -1),
          offset: message.headers['dlq-original-offset'] ?? '?',
          reason: message.headers['dlq-error'] ?? 'unknown',
        });
      }
    },
    close: async () => {},
  };
  const processor = salesProcessor({
    readModel: options.readModel,
    consumerGroup: `${options.consumerGroup}.rebuild-${newId()}`,
    deadLetters: reported,
  });
  const every = options.progressEvery ?? 1_000;
  const counting: MessageProcessor = {
    consumerGroup: processor.consumerGroup,
    process: async (message: DeliveredMessage) => {
      const outcome = await processor.process(message);
      progress[COUNTED[outcome]] += 1;
      progress.read += 1;
      if (progress.read % every === 0) options.onProgress?.({ ...progress });
      return outcome;
    },
  };

  await options.readModel.clear();
  await replayTopic({
    brokers: options.brokers,
    topic: orderingEventsTopic(options.namespace),
    // The earliest offset at or after the epoch is each partition's first retained message.
    from: { time: new Date(0) },
    processor: counting,
  });
  return { ...progress, courses: await options.readModel.countCourses(), failures };
}

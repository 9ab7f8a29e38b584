import type { MessageProcessor } from './event-processor.ts';
import type { InProcessEventBroker } from './in-process-event-broker.ts';

/** Embedded mode's consumer: the same processor (inbox, retries, dead letters) fed by the in-process broker. */
export function consumeInProcess(
  broker: InProcessEventBroker,
  topics: readonly string[],
  processor: MessageProcessor,
): () => void {
  const unsubscribes = topics.map((topic) =>
    broker.subscribe(topic, async (message) => {
      await processor.process(message);
    }),
  );
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}

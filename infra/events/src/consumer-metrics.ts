import { Counter, type Registry } from 'prom-client';
import type { MessageProcessor, ProcessOutcome } from './event-processor.ts';

const OUTCOMES: readonly ProcessOutcome[] = ['handled', 'duplicate', 'skipped', 'dead-lettered'];

/**
 * The processor, counted: `strata_events_consumed_total{group, outcome}`, whose `duplicate` is a
 * redelivery the inbox absorbed and whose `dead-lettered` is a message given up on. Wrapped around
 * the processor, so every runner (Kafka, in-process, replay) counts alike; one child per outcome,
 * made up front.
 */
export function meterProcessor(processor: MessageProcessor, registry: Registry): MessageProcessor {
  const counter =
    (registry.getSingleMetric('strata_events_consumed_total') as Counter<'group' | 'outcome'> | undefined) ??
    new Counter({
      name: 'strata_events_consumed_total',
      help: 'Events a consumer group processed, by outcome: handled, duplicate (inbox), skipped, dead-lettered',
      labelNames: ['group', 'outcome'],
      registers: [registry],
    });
  const group = processor.consumerGroup;
  const children = new Map(OUTCOMES.map((outcome) => [outcome, counter.labels(group, outcome)]));
  const metered: MessageProcessor = {
    consumerGroup: group,
    async process(message) {
      const outcome = await processor.process(message);
      children.get(outcome)?.inc();
      return outcome;
    },
  };
  const processBatch = processor.processBatch?.bind(processor);
  if (processBatch)
    metered.processBatch = async (messages) => {
      const outcomes = await processBatch(messages);
      for (const outcome of outcomes) children.get(outcome)?.inc();
      return outcomes;
    };
  return metered;
}

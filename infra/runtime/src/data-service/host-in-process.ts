import { consumeInProcess, meterProcessor, type InProcessEventBroker } from '@strata/events';
import type { Registry } from 'prom-client';
import type { DataService } from './assemble-data-service.ts';

/**
 * A composed data service as `npm start` runs it, in one process with the others: its consumers
 * fed by the in-process broker, its jobs (in its own database) started, so due work left from the
 * last run is done now. Answers what stops it all: consumers first, then the service's `close()`
 * (relay, jobs, database). Start the relays once every consumer of the process is subscribed.
 */
export async function hostInProcess(
  service: DataService,
  broker: InProcessEventBroker,
  /** Where the consumers count what they processed (`strata_events_consumed_total`). */
  metrics?: Registry,
): Promise<() => Promise<void>> {
  const unsubscribes = service.consumers.map((consumer) =>
    consumeInProcess(
      broker,
      consumer.topics,
      metrics === undefined ? consumer.processor : meterProcessor(consumer.processor, metrics),
    ),
  );
  await service.jobs.start();
  return async () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    await service.close();
  };
}

import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventProcessor } from '@strata/events';
import type { Logger } from '@strata/runtime';
import {
  ORDERING_EVENT_FEED,
  SALES_CONSUMER_GROUP,
  SALES_READ_MODEL,
  STUDIO_LOGGER,
} from './injection-tokens.ts';
import type { OrderingEventFeed } from './ordering-event-feed.ts';
import type { SalesSession } from './sales-inbox.ts';
import { salesProcessor } from './sales-projection.ts';
import type { SalesReadModel } from './sales-read-model.ts';

/** Consumes ordering's events for the app's lifetime and counts paid and refunded orders into the read model. */
@Injectable()
export class SalesConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #processor: EventProcessor<SalesSession>;
  readonly #feed: OrderingEventFeed;
  #stop: (() => Promise<void>) | undefined;

  constructor(
    @Inject(SALES_READ_MODEL) readModel: SalesReadModel,
    @Inject(ORDERING_EVENT_FEED) feed: OrderingEventFeed,
    @Inject(STUDIO_LOGGER) logger: Logger,
    @Inject(SALES_CONSUMER_GROUP) consumerGroup: string,
  ) {
    this.#feed = feed;
    this.#processor = salesProcessor({
      readModel,
      consumerGroup,
      deadLetters: feed.deadLetters,
      onError: (error, context) => logger.warn({ err: error }, `sales read model: ${context}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.#stop = await this.#feed.start(this.#processor);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#stop?.();
    this.#stop = undefined;
  }
}

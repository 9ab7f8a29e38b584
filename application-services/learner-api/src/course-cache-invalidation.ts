import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { invalidationHandlers, type Cache, type InvalidatingEvent } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import { EventProcessor } from '@strata/events';
import type { Logger } from '@strata/runtime';
import type { z } from '@strata/shared-kernel';
import { courseCacheKey } from './course-cache-key.ts';
import type { CourseEventFeed } from './course-event-feed.ts';
import {
  COURSE_CACHE,
  COURSE_CACHE_CONSUMER_GROUP,
  COURSE_EVENT_FEED,
  LEARNER_LOGGER,
} from './injection-tokens.ts';
import { StatelessInbox } from './stateless-inbox.ts';

export const DEFAULT_COURSE_CACHE_CONSUMER_GROUP = 'learner-api.course-cache';

const courseEvents = catalogContract.aggregates.Course.events;

/**
 * Every course event except the draft changes what a course's detail shows (publication, price,
 * unpublication above all; also its title, lessons, archiving), so each one drops the cached detail.
 * Taken from the contract, so a new course event cannot be forgotten here.
 */
const invalidations = Object.fromEntries(
  Object.keys(courseEvents)
    .filter((type) => type !== 'CourseDrafted')
    .map((type) => [type, (event: InvalidatingEvent) => [courseCacheKey(event.aggregateId)]]),
);

/** Consumes catalog events for the app's lifetime and deletes the cached details they make stale. */
@Injectable()
export class CourseCacheInvalidation implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #processor: EventProcessor<undefined>;
  readonly #feed: CourseEventFeed;
  #stop: (() => Promise<void>) | undefined;

  constructor(
    @Inject(COURSE_CACHE) cache: Cache,
    @Inject(COURSE_EVENT_FEED) feed: CourseEventFeed,
    @Inject(LEARNER_LOGGER) logger: Logger,
    @Inject(COURSE_CACHE_CONSUMER_GROUP) consumerGroup: string,
  ) {
    this.#feed = feed;
    this.#processor = new EventProcessor({
      consumerGroup,
      handlers: invalidationHandlers(cache, invalidations),
      inbox: new StatelessInbox(),
      schema: (type, version) => {
        const event = (courseEvents as Record<string, { version: number; payload: z.ZodType }>)[type];
        return event?.version === version ? event.payload : undefined;
      },
      deadLetters: feed.deadLetters,
      onError: (error, context) => logger.warn({ err: error }, `course cache invalidation: ${context}`),
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

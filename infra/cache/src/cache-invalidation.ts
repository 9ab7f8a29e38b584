/**
 * The least of an event the invalidation needs. infra/events' EventEnvelope and the embedded
 * dispatcher's events both have it, so the handlers below plug into either unchanged.
 */
export interface InvalidatingEvent<TPayload = unknown> {
  type: string;
  aggregateId: string;
  payload: TPayload;
}

/** For each event type, the cache keys an event of that type makes stale. */
export type InvalidationMap = Record<string, (event: InvalidatingEvent) => readonly string[]>;

/** The slice of the cache port invalidation uses. */
export interface InvalidatableCache {
  delete(keys: string | readonly string[]): Promise<void>;
}

export type InvalidationHandler = (event: InvalidatingEvent) => Promise<void>;

/**
 * One handler per mapped event type, shaped for `EventProcessorOptions.handlers` of infra/events
 * (a handler's extra `session` argument is ignored: the cache is not part of the inbox's
 * transaction, and deleting is idempotent, so a redelivery does no harm). A handler rejects when
 * the cache is unreachable, so the processor retries and finally dead-letters the event rather
 * than leaving a stale entry behind silently.
 */
export function invalidationHandlers(
  cache: InvalidatableCache,
  invalidations: InvalidationMap,
): Record<string, InvalidationHandler> {
  return Object.fromEntries(
    Object.entries(invalidations).map(([type, keysOf]) => [
      type,
      async (event: InvalidatingEvent) => {
        const keys = keysOf(event);
        if (keys.length > 0) await cache.delete(keys);
      },
    ]),
  );
}

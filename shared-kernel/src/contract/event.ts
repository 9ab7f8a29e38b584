import type { z } from 'zod';

/**
 * A domain event as published: its payload schema and the schema version consumers key on.
 * A breaking payload change is a new version, never an edit of the old one.
 */
export interface EventDefinition<TPayload extends z.ZodObject = z.ZodObject> {
  readonly kind: 'event';
  readonly version: number;
  readonly payload: TPayload;
  /**
   * Set for an event that is not written to an outbox with its aggregate's change: its producer
   * ships it itself, on a topic of its own, named as the context's topic with this suffix (the
   * links' visits: `strata.links.events.visits`, ADR 0063). Consumers and docs read it from here.
   */
  readonly topicSuffix?: string;
}

/** What a topic suffix may be: one lower-case word, as Kafka's topic names and ours spell them. */
const TOPIC_SUFFIX = /^[a-z][a-z0-9-]{0,31}$/;

export interface EventOptions {
  readonly topicSuffix?: string;
}

export function event<TPayload extends z.ZodObject>(
  spec: { version: number; payload: TPayload } & EventOptions,
): EventDefinition<TPayload> {
  if (!Number.isSafeInteger(spec.version) || spec.version < 1) {
    throw new TypeError(`an event's schema version is a whole number from 1, got ${spec.version}`);
  }
  if (spec.topicSuffix !== undefined && !TOPIC_SUFFIX.test(spec.topicSuffix)) {
    throw new TypeError(
      `an event's topic suffix is one lower-case word (${TOPIC_SUFFIX.source}), got ${JSON.stringify(spec.topicSuffix)}`,
    );
  }
  return {
    kind: 'event',
    version: spec.version,
    payload: spec.payload,
    ...(spec.topicSuffix !== undefined ? { topicSuffix: spec.topicSuffix } : {}),
  };
}

/**
 * The events of an aggregate whose payloads are all at their first schema version, declared from
 * the one record of payload schemas the domain's types are inferred from.
 */
export function firstVersionEvents<TPayloads extends Record<string, z.ZodObject>>(
  payloads: TPayloads,
  options: EventOptions = {},
): { [TType in keyof TPayloads]: EventDefinition<TPayloads[TType]> } {
  return Object.fromEntries(
    Object.entries(payloads).map(([type, payload]) => [type, event({ version: 1, payload, ...options })]),
  ) as { [TType in keyof TPayloads]: EventDefinition<TPayloads[TType]> };
}

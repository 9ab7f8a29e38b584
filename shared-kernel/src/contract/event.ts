import type { z } from 'zod';

/**
 * A domain event as published: its payload schema and the schema version consumers key on.
 * A breaking payload change is a new version, never an edit of the old one.
 */
export interface EventDefinition<TPayload extends z.ZodObject = z.ZodObject> {
  readonly kind: 'event';
  readonly version: number;
  readonly payload: TPayload;
}

export function event<TPayload extends z.ZodObject>(spec: {
  version: number;
  payload: TPayload;
}): EventDefinition<TPayload> {
  if (!Number.isSafeInteger(spec.version) || spec.version < 1) {
    throw new TypeError(`an event's schema version is a whole number from 1, got ${spec.version}`);
  }
  return { kind: 'event', version: spec.version, payload: spec.payload };
}

/**
 * The events of an aggregate whose payloads are all at their first schema version, declared from
 * the one record of payload schemas the domain's types are inferred from.
 */
export function firstVersionEvents<TPayloads extends Record<string, z.ZodObject>>(
  payloads: TPayloads,
): { [TType in keyof TPayloads]: EventDefinition<TPayloads[TType]> } {
  return Object.fromEntries(
    Object.entries(payloads).map(([type, payload]) => [type, event({ version: 1, payload })]),
  ) as { [TType in keyof TPayloads]: EventDefinition<TPayloads[TType]> };
}

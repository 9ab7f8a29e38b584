import { newId, z } from '@strata/shared-kernel';
import type { DomainEvent } from '@strata/shared-kernel';

/**
 * What travels between services: the domain's fact plus what infrastructure needs to route,
 * deduplicate, order and trace it. `id` is the deduplication key of every inbox.
 */
export interface EventEnvelope<TPayload = unknown> {
  id: string;
  type: string;
  schemaVersion: number;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  /** W3C trace context header value, so a consumer's span continues the producer's trace. */
  traceparent: string | null;
  /** W3C `tracestate` that came with `traceparent` (vendors' trace data), or null. */
  tracestate: string | null;
  payload: TPayload;
}

/** Where the envelope came from: the call that caused the event. */
export interface EventCause {
  correlationId: string;
  causationId?: string | null;
  traceparent?: string | null;
  tracestate?: string | null;
}

/** The contract's payload schema for (type, version); undefined when the contract declares no such event. */
export type EventSchemaLookup = (type: string, version: number) => z.ZodType | undefined;

const envelopeShape = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
  aggregateVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  traceparent: z.string().min(1).nullable(),
  // Envelopes written before tracestate was carried have no such field.
  tracestate: z.string().min(1).nullable().default(null),
  payload: z.unknown(),
});

/** A message whose envelope or payload breaks the contract: never retried, it goes to the dead letters. */
export class InvalidEnvelopeError extends Error {
  readonly issues: { path: string; message: string }[];

  constructor(context: string, issues: { path: string; message: string }[]) {
    super(`${context}: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`);
    this.name = 'InvalidEnvelopeError';
    this.issues = issues;
  }
}

function issuesOf(error: z.ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

function validatePayload(envelope: EventEnvelope, lookup: EventSchemaLookup): unknown {
  const schema = lookup(envelope.type, envelope.schemaVersion);
  if (!schema) {
    throw new InvalidEnvelopeError(
      `event ${envelope.type} v${envelope.schemaVersion} is not declared by any contract`,
      [{ path: 'type', message: 'unknown event type or schema version' }],
    );
  }
  const parsed = schema.safeParse(envelope.payload);
  if (!parsed.success) {
    throw new InvalidEnvelopeError(
      `event ${envelope.type} v${envelope.schemaVersion} ${envelope.id} payload`,
      issuesOf(parsed.error, 'payload'),
    );
  }
  return parsed.data;
}

/** Wraps a domain event for the outbox, refusing a payload its contract does not accept. */
export function envelopeFor(
  event: DomainEvent,
  schemaVersion: number,
  cause: EventCause,
  lookup: EventSchemaLookup,
): EventEnvelope {
  const envelope: EventEnvelope = {
    id: newId<'Event'>(),
    type: event.type,
    schemaVersion,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    aggregateVersion: event.aggregateVersion,
    occurredAt: event.occurredAt.toISOString(),
    correlationId: cause.correlationId,
    causationId: cause.causationId ?? null,
    traceparent: cause.traceparent ?? null,
    // A tracestate belongs to its traceparent and means nothing without it.
    tracestate: cause.traceparent ? (cause.tracestate ?? null) : null,
    payload: event.payload,
  };
  envelope.payload = validatePayload(envelope, lookup);
  return envelope;
}

/** Reads an envelope received from a broker, checking it and its payload against the contract. */
export function parseEnvelope(raw: unknown, lookup: EventSchemaLookup): EventEnvelope {
  const parsed = envelopeShape.safeParse(raw);
  if (!parsed.success) throw new InvalidEnvelopeError('event envelope', issuesOf(parsed.error, ''));
  const envelope = parsed.data as EventEnvelope;
  envelope.payload = validatePayload(envelope, lookup);
  return envelope;
}

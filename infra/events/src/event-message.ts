import type { BrokerMessage } from './event-broker.ts';
import type { EventEnvelope } from './event-envelope.ts';

const CLOSING_BRACE = Buffer.from('}');

/** Copies a value's parts, in order, into one buffer of `length` bytes. */
export type ValueJoin = (parts: readonly Buffer[], length: number) => Buffer;

const concat: ValueJoin = (parts, length) => Buffer.concat(parts, length);

/**
 * The envelope travels whole in the value; its metadata is repeated in headers so routers, DLQ
 * tooling and tracing can read it without parsing the payload.
 *
 * `payloadJson` is for a publisher that already holds its payload as JSON bytes (the redirect's
 * visit shipper joins a thousand visits' JSON as they were queued): its parts, in order, are the
 * value's `payload`, in place of `envelope.payload`, which is then not serialized. They are copied
 * into the value once: no string of the whole payload is made and encoded again (ADR 0061), by
 * `join` (a new buffer unless the publisher gives a region it reuses).
 */
export function envelopeToMessage(
  topic: string,
  envelope: EventEnvelope,
  payloadJson?: readonly Buffer[],
  join: ValueJoin = concat,
): BrokerMessage {
  const headers: Record<string, string> = {
    'event-id': envelope.id,
    'event-type': envelope.type,
    'schema-version': String(envelope.schemaVersion),
    'aggregate-type': envelope.aggregateType,
    'aggregate-id': envelope.aggregateId,
    'aggregate-version': String(envelope.aggregateVersion),
    'occurred-at': envelope.occurredAt,
    'correlation-id': envelope.correlationId,
  };
  if (envelope.causationId) headers['causation-id'] = envelope.causationId;
  if (envelope.traceparent) headers.traceparent = envelope.traceparent;
  if (envelope.tracestate) headers.tracestate = envelope.tracestate;
  if (payloadJson === undefined) {
    return { topic, key: envelope.aggregateId, value: Buffer.from(JSON.stringify(envelope)), headers };
  }
  const head = `${JSON.stringify({ ...envelope, payload: undefined }).slice(0, -1)},"payload":`;
  const parts = [Buffer.from(head), ...payloadJson, CLOSING_BRACE];
  let length = 0;
  for (const part of parts) length += part.length;
  const value = join(parts, length);
  return { topic, key: envelope.aggregateId, value, headers };
}

/** The raw envelope in a message's value; the caller validates it (parseEnvelope). */
export function messageBody(value: Buffer | null): unknown {
  if (!value) return null;
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return value.toString('utf8');
  }
}

import type { BrokerMessage } from './event-broker.ts';
import type { EventEnvelope } from './event-envelope.ts';

/**
 * The envelope travels whole in the value; its metadata is repeated in headers so routers, DLQ
 * tooling and tracing can read it without parsing the payload.
 */
export function envelopeToMessage(topic: string, envelope: EventEnvelope): BrokerMessage {
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
  return { topic, key: envelope.aggregateId, value: Buffer.from(JSON.stringify(envelope)), headers };
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

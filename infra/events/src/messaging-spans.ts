import { SpanKind, trace, type Attributes, type Link } from '@opentelemetry/api';
import { contextFrom, inSpan, linkTo } from '@strata/telemetry';
import type { DeliveredMessage } from './event-broker.ts';
import type { OutboxRow } from './outbox-store.ts';

/*
 * The spans of an event's journey after its commit, as OpenTelemetry's messaging conventions draw
 * them. An event's creation context is the commit that wrote its outbox row (the envelope's
 * `traceparent`, repeated in the Kafka headers). The relay publishes later, in batches mixing
 * many requests' events, so its PRODUCER span starts its own trace and LINKS to each event's
 * creation; a consumer handles one message at a time, so its CONSUMER span is a child of the
 * creation (the request's trace goes on into the other service) and links to it too, as the
 * conventions ask of every consumer. Only called with tracing on.
 */

const tracer = trace.getTracer('@strata/events');

/** The relay's publish of one batch of outbox rows. */
export function inPublishSpan(
  system: string | undefined,
  rows: readonly OutboxRow[],
  publish: () => Promise<void>,
): Promise<void> {
  const topics = new Set(rows.map((row) => row.topic));
  const topic = topics.size === 1 ? rows[0]?.topic : undefined;
  const attributes: Attributes = {
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'send',
    'messaging.batch.message_count': rows.length,
  };
  if (system !== undefined) attributes['messaging.system'] = system;
  if (topic !== undefined) attributes['messaging.destination.name'] = topic;
  const links: Link[] = rows.flatMap((row) =>
    linkTo(row.envelope, {
      'messaging.message.id': row.envelope.id,
      'messaging.destination.name': row.topic,
    }),
  );
  return inSpan(
    tracer,
    topic === undefined ? 'send' : `send ${topic}`,
    { kind: SpanKind.PRODUCER, attributes, links },
    publish,
  );
}

/** A consumer group's handling of one delivered message, inbox and retries included. */
export function inProcessSpan<Outcome extends string>(
  consumerGroup: string,
  message: DeliveredMessage,
  process: () => Promise<Outcome>,
): Promise<Outcome> {
  const attributes: Attributes = {
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': message.topic,
    'messaging.consumer.group.name': consumerGroup,
    'messaging.destination.partition.id': String(message.partition),
    'messaging.kafka.offset': Number(message.offset),
    'messaging.kafka.message.key': message.key,
  };
  if (message.system !== undefined) attributes['messaging.system'] = message.system;
  const eventId = message.headers['event-id'];
  if (eventId !== undefined) attributes['messaging.message.id'] = eventId;
  const eventType = message.headers['event-type'];
  if (eventType !== undefined) attributes['strata.event.type'] = eventType;
  return inSpan(
    tracer,
    `process ${message.topic}`,
    { kind: SpanKind.CONSUMER, attributes, links: linkTo(message.headers) },
    async (span) => {
      const outcome = await process();
      span.setAttribute('strata.event.outcome', outcome);
      return outcome;
    },
    contextFrom(message.headers),
  );
}

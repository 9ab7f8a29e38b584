import { describe, expect, it } from '@jest/globals';
import {
  envelopeFor,
  envelopeToMessage,
  InvalidEnvelopeError,
  messageBody,
  parseEnvelope,
  type EventSchemaLookup,
} from '@strata/events';
import { z } from '@strata/shared-kernel';

const coursePublished = z.object({ courseId: z.string(), priceCents: z.number().int().nonnegative() });
const lookup: EventSchemaLookup = (type, version) =>
  type === 'CoursePublished' && version === 2 ? coursePublished : undefined;
const event = {
  type: 'CoursePublished',
  payload: { courseId: 'c-1', priceCents: 4_900 },
  aggregateType: 'Course',
  aggregateId: 'c-1',
  aggregateVersion: 3,
  occurredAt: new Date('2026-03-01T10:00:00.000Z'),
};

describe('the event envelope', () => {
  it('wraps a domain event with a UUIDv7 id, its schema version and its cause', () => {
    const envelope = envelopeFor(
      event,
      2,
      { correlationId: 'corr', causationId: 'cmd', traceparent: 'tp' },
      lookup,
    );
    expect(envelope).toMatchObject({
      type: 'CoursePublished',
      schemaVersion: 2,
      aggregateType: 'Course',
      aggregateId: 'c-1',
      aggregateVersion: 3,
      occurredAt: '2026-03-01T10:00:00.000Z',
      correlationId: 'corr',
      causationId: 'cmd',
      traceparent: 'tp',
      payload: { courseId: 'c-1', priceCents: 4_900 },
    });
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  });

  it('refuses a payload its contract does not accept, naming the field', () => {
    const broken = { ...event, payload: { courseId: 'c-1', priceCents: -1 } };
    expect(() => envelopeFor(broken, 2, { correlationId: 'corr' }, lookup)).toThrow(InvalidEnvelopeError);
    expect(() => envelopeFor(broken, 2, { correlationId: 'corr' }, lookup)).toThrow(/payload\.priceCents: /);
    expect(() => envelopeFor(event, 1, { correlationId: 'corr' }, lookup)).toThrow(
      /CoursePublished v1 is not declared by any contract/,
    );
  });

  it('travels as a keyed message with its metadata in headers and reads back validated', () => {
    const envelope = envelopeFor(event, 2, { correlationId: 'corr', traceparent: '00-abc-def-01' }, lookup);
    const message = envelopeToMessage('strata.catalog.events', envelope);
    expect(message.key).toBe('c-1');
    expect(message.headers).toEqual({
      'event-id': envelope.id,
      'event-type': 'CoursePublished',
      'schema-version': '2',
      'aggregate-type': 'Course',
      'aggregate-id': 'c-1',
      'aggregate-version': '3',
      'occurred-at': '2026-03-01T10:00:00.000Z',
      'correlation-id': 'corr',
      traceparent: '00-abc-def-01',
    });
    expect(parseEnvelope(messageBody(message.value), lookup)).toEqual(envelope);
  });

  it('carries a payload given as JSON bytes in place of the envelope’s own, and reads back the same', () => {
    const envelope = envelopeFor(event, 2, { correlationId: 'corr' }, lookup);
    const json = JSON.stringify(envelope.payload);
    const cut = Math.floor(json.length / 2);
    const asText = envelopeToMessage('strata.catalog.events', { ...envelope, payload: null }, [
      Buffer.from(json.slice(0, cut)),
      Buffer.from(json.slice(cut)),
    ]);
    expect(asText.headers).toEqual(envelopeToMessage('strata.catalog.events', envelope).headers);
    expect(parseEnvelope(messageBody(asText.value), lookup)).toEqual(envelope);
  });

  it('names every broken envelope field on consume', () => {
    const error = (() => {
      try {
        parseEnvelope({ id: 'nope', type: 'CoursePublished', schemaVersion: 0 }, lookup);
      } catch (caught) {
        return caught as InvalidEnvelopeError;
      }
      throw new Error('parseEnvelope accepted a broken envelope');
    })();
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'id',
        'schemaVersion',
        'aggregateType',
        'aggregateId',
        'occurredAt',
        'correlationId',
      ]),
    );
    expect(() => parseEnvelope(messageBody(Buffer.from('not json')), lookup)).toThrow(
      /event envelope: \(root\)/,
    );
  });
});

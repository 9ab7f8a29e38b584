import { describe, expect, it } from '@jest/globals';
import { contractEventCatalog, messageBody, parseEnvelope } from '@strata/events';
import { MAX_VISITS_PER_EVENT, visitsOf, type LinkVisitsRecorded } from '@strata/links';
import { linksContract } from '@strata/links/contract';
import { newId } from '@strata/shared-kernel';
import {
  decodeQueuedVisit,
  encodeQueuedVisit,
  visitMessagesOf,
  type QueuedVisit,
} from '../src/links/redirect/queued-visit.ts';

// The shipper writes LinkVisitsRecorded's JSON from the queued lines by hand (ADR 0043 addendum):
// what leaves must be what the contract reads, visit for visit, and a line the redirect path could
// not have written must not leave.

const schema = contractEventCatalog(linksContract).schema;

const visit = (linkId: string, linkVersion: number, extra: Partial<QueuedVisit> = {}): QueuedVisit => ({
  visitId: newId(),
  linkId,
  linkVersion,
  slug: 'spring-sale',
  visitedAt: new Date(Date.UTC(2026, 11, 5, 3, 50, 0, Math.floor(Math.random() * 1000))).toISOString(),
  referrerHost: 'news.example.com',
  userAgentFamily: 'chrome',
  bot: false,
  visitorHash: 'ab'.repeat(32),
  ...extra,
});

describe('visitMessagesOf', () => {
  it('ships each link and version as LinkVisitsRecorded the contract accepts, visits in the order queued', () => {
    const first = newId();
    const second = newId();
    const visits = [
      visit(first, 1),
      visit(second, 3, { referrerHost: null, bot: true, userAgentFamily: 'other', slug: 'a1' }),
      visit(first, 1, { referrerHost: '[::1]', userAgentFamily: 'samsung-internet' }),
      visit(first, 2, { referrerHost: '10.0.0.1' }),
    ];
    const messages = visitMessagesOf('strata.links.events', visits.map(encodeQueuedVisit));

    const shipped = messages.map((message) => {
      const envelope = parseEnvelope(messageBody(message.value), schema);
      expect(message.topic).toBe('strata.links.events');
      expect(message.key).toBe(envelope.aggregateId);
      expect(message.headers).toMatchObject({
        'event-id': envelope.id,
        'event-type': 'LinkVisitsRecorded',
        'aggregate-version': String(envelope.aggregateVersion),
      });
      return { version: envelope.aggregateVersion, visits: visitsOf(envelope.payload as LinkVisitsRecorded) };
    });
    const asShipped = ({ linkVersion, ...rest }: QueuedVisit) => ({ version: linkVersion, visit: rest });
    expect(shipped).toEqual([
      { version: 1, visits: [visits[0], visits[2]].map((one) => asShipped(one!).visit) },
      { version: 3, visits: [asShipped(visits[1]!).visit] },
      { version: 2, visits: [asShipped(visits[3]!).visit] },
    ]);
  });

  it('cuts a link past MAX_VISITS_PER_EVENT into several messages, none lost', () => {
    const linkId = newId();
    const lines = Array.from({ length: MAX_VISITS_PER_EVENT + 3 }, () => encodeQueuedVisit(visit(linkId, 1)));
    const messages = visitMessagesOf('t', lines);
    const counts = messages.map(
      (message) =>
        (parseEnvelope(messageBody(message.value), schema).payload as LinkVisitsRecorded).visits.length,
    );
    expect(counts).toEqual([MAX_VISITS_PER_EVENT, 3]);
    const ids = messages.flatMap((message) =>
      (parseEnvelope(messageBody(message.value), schema).payload as LinkVisitsRecorded).visits.map(
        (one) => one.visitId,
      ),
    );
    expect(ids).toEqual(lines.map((line) => decodeQueuedVisit(line).visitId));
  });

  it('refuses a line the redirect path could not have written rather than ship broken JSON', () => {
    const good = encodeQueuedVisit(visit(newId(), 1));
    expect(() => visitMessagesOf('t', [good.replace('news.example.com', 'news"example')])).toThrow(
      /not a queued visit/,
    );
    expect(() => visitMessagesOf('t', [good.replace('chrome', 'netscape')])).toThrow(/not a queued visit/);
    expect(() => visitMessagesOf('t', [`${good}\textra`])).toThrow(/not a queued visit/);
  });
});

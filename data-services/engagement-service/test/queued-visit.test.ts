import { describe, expect, it } from '@jest/globals';
import { contractEventCatalog, messageBody, parseEnvelope } from '@strata/events';
import { MAX_VISITS_PER_EVENT, visitsOf, type LinkVisited, type LinkVisitsRecorded } from '@strata/links';
import { linksContract } from '@strata/links/contract';
import { newId } from '@strata/shared-kernel';
import {
  linesAsQueuedLinkVisits,
  queuedLinkNameOf,
  queuedLinkVisitsOf,
  visitJsonOf,
  visitMessagesOf,
  type QueuedLinkVisits,
  type VisitOfLink,
} from '../src/links/redirect/queued-visit.ts';

// The serving thread writes each visit's JSON by hand and the shipper only joins them (ADR 0061):
// what leaves must be what the contract reads, visit for visit, and a batch or a line the redirect
// path could not have written must not leave.

const schema = contractEventCatalog(linksContract).schema;

const visit = (extra: Partial<VisitOfLink> = {}): VisitOfLink => ({
  visitId: newId(),
  visitedAt: new Date(Date.UTC(2026, 11, 5, 3, 50, 0, Math.floor(Math.random() * 1000))).toISOString(),
  referrerHost: 'news.example.com',
  userAgentFamily: 'chrome',
  bot: false,
  visitorHash: 'ab'.repeat(32),
  ...extra,
});

const batchOf = (linkId: string, linkVersion: number, visits: VisitOfLink[], slug = 'spring-sale') =>
  queuedLinkVisitsOf(
    `${queuedLinkNameOf(linkId, linkVersion, slug, new Date().toISOString())}\t${visits.length}`,
    Buffer.from(visits.map(visitJsonOf).join(',')),
  );

const shippedOf = (batches: QueuedLinkVisits[]) =>
  visitMessagesOf('strata.links.events.visits', batches).map((message) => {
    const envelope = parseEnvelope(messageBody(message.value), schema);
    expect(message.topic).toBe('strata.links.events.visits');
    expect(message.key).toBe(envelope.aggregateId);
    expect(message.headers).toMatchObject({
      'event-id': envelope.id,
      'event-type': 'LinkVisitsRecorded',
      'aggregate-version': String(envelope.aggregateVersion),
    });
    return { version: envelope.aggregateVersion, visits: visitsOf(envelope.payload as LinkVisitsRecorded) };
  });

const asVisited = (linkId: string, slug: string, one: VisitOfLink): LinkVisited => ({ linkId, slug, ...one });

describe('visitMessagesOf', () => {
  it('ships each link and version as LinkVisitsRecorded the contract accepts, its batches joined in the order queued', () => {
    const first = newId();
    const second = newId();
    const [a, b, c, d, e] = [
      visit(),
      visit({ referrerHost: null, bot: true, userAgentFamily: 'other' }),
      visit({ referrerHost: '[::1]', userAgentFamily: 'samsung-internet' }),
      visit({ referrerHost: '10.0.0.1' }),
      visit(),
    ];
    const shipped = shippedOf([
      batchOf(first, 1, [a!]),
      batchOf(second, 3, [b!], 'a1'),
      batchOf(first, 1, [c!, e!]),
      batchOf(first, 2, [d!]),
    ]);
    expect(shipped).toEqual([
      { version: 1, visits: [a!, c!, e!].map((one) => asVisited(first, 'spring-sale', one)) },
      { version: 3, visits: [asVisited(second, 'a1', b!)] },
      { version: 2, visits: [asVisited(first, 'spring-sale', d!)] },
    ]);
  });

  it('starts a new message where the next batch would take a link past MAX_VISITS_PER_EVENT, none lost', () => {
    const linkId = newId();
    const sizes = [MAX_VISITS_PER_EVENT - 400, 600, 3];
    const visits = sizes.map((size) => Array.from({ length: size }, () => visit()));
    const shipped = shippedOf(visits.map((ofBatch) => batchOf(linkId, 1, ofBatch)));
    expect(shipped.map((message) => message.visits.length)).toEqual([MAX_VISITS_PER_EVENT - 400, 603]);
    expect(shipped.flatMap((message) => message.visits.map((one) => one.visitId))).toEqual(
      visits.flat().map((one) => one.visitId),
    );
  });

  it('refuses a batch name the ledger could not have written', () => {
    const name = queuedLinkNameOf(newId(), 1, 'spring-sale', new Date().toISOString());
    const json = visitJsonOf(visit());
    expect(() => queuedLinkVisitsOf(`${name}\t0`, Buffer.from(json))).toThrow(/not a queued batch/);
    expect(() => queuedLinkVisitsOf(`${name}\t${MAX_VISITS_PER_EVENT + 1}`, Buffer.from(json))).toThrow(
      /not a queued batch/,
    );
    expect(() => queuedLinkVisitsOf(name, Buffer.from(json))).toThrow(/not a queued batch/);
  });
});

describe('visits queued as lines before ADR 0061', () => {
  const lineOf = (linkId: string, one: VisitOfLink) =>
    [
      one.visitId,
      linkId,
      2,
      'spring-sale',
      one.visitedAt,
      one.referrerHost ?? '',
      one.userAgentFamily,
      one.bot ? 1 : 0,
      one.visitorHash,
    ].join('\t');

  it('ship as the same visits', () => {
    const linkId = newId();
    const visits = [visit(), visit({ referrerHost: null, bot: true, userAgentFamily: 'firefox' })];
    const shipped = shippedOf(linesAsQueuedLinkVisits(visits.map((one) => lineOf(linkId, one)).join('\n')));
    expect(shipped).toEqual([
      { version: 2, visits: visits.map((one) => asVisited(linkId, 'spring-sale', one)) },
    ]);
  });

  it('refuse a line the redirect path could not have written rather than ship broken JSON', () => {
    const good = lineOf(newId(), visit());
    expect(() => linesAsQueuedLinkVisits(good.replace('news.example.com', 'news"example'))).toThrow(
      /not a queued visit/,
    );
    expect(() => linesAsQueuedLinkVisits(good.replace('chrome', 'netscape'))).toThrow(/not a queued visit/);
    expect(() => linesAsQueuedLinkVisits(`${good}\textra`)).toThrow(/not a queued visit/);
  });
});

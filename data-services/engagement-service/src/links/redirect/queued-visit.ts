import { envelopeToMessage, type BrokerMessage, type EventEnvelope, type ValueJoin } from '@strata/events';
import { MAX_VISITS_PER_EVENT, USER_AGENT_FAMILIES, type LinkVisited } from '@strata/links';
import { newId } from '@strata/shared-kernel';

/** A visit as one element of LinkVisitsRecorded's `visits`: without its link, which the batch names. */
export type VisitOfLink = Omit<LinkVisited, 'linkId' | 'slug'>;

/**
 * One link's granted visits of one group commit while they wait in the visit queue for the
 * shipper (ADR 0061): already the JSON LinkVisitsRecorded carries, so the shipper neither splits
 * nor parses nor writes anything per visit; it joins a link's batches and wraps them in one
 * envelope. The serving thread writes each visit's JSON once, as it wrote a line before.
 */
export interface QueuedLinkVisits {
  readonly linkId: string;
  /** The link's version the visits resolved against: the envelope's `aggregateVersion` (ADR 0018). */
  readonly linkVersion: number;
  readonly slug: string;
  /** When their group commit was sent (ISO): the envelope's `occurredAt`. */
  readonly keptAt: string;
  readonly count: number;
  /**
   * Their JSON objects (visitJsonOf) in the order granted, joined by commas, as UTF-8: read from
   * Redis as bytes and sent as bytes, never decoded into a string and encoded again.
   */
  readonly visits: Buffer;
}

// What a line queued before ADR 0061 may hold without escaping in JSON (the tabs between fields aside).
const PLAIN = /^[^"\\{}\x00-\x1f\x7f]*$/;

/**
 * A visit's JSON, written without JSON.stringify: none of its fields needs escaping (a UUID, an
 * ISO time, a host as referrerHostOf keeps it, a family name, a boolean, a hex hash), and none
 * holds a `}`, so each visit's JSON ends at its only `}` (the ledger cuts a capped batch there).
 */
export function visitJsonOf(visit: VisitOfLink): string {
  return visitJsonWith(visit.visitId, visit.visitedAt, visit.referrerHost, visitorJsonOf(visit));
}

/**
 * The end of a visit's JSON that depends only on the visitor (from `,"userAgentFamily"` to the
 * closing `}`): the redirect writes it once per connection and each visit with visitJsonWith.
 */
export function visitorJsonOf(visitor: Pick<VisitOfLink, 'userAgentFamily' | 'bot' | 'visitorHash'>): string {
  return `,"userAgentFamily":"${visitor.userAgentFamily}","bot":${visitor.bot},"visitorHash":"${visitor.visitorHash}"}`;
}

/** visitJsonOf, the visitor's part already written (visitorJsonOf). */
export function visitJsonWith(
  visitId: string,
  visitedAt: string,
  referrerHost: string | null,
  visitorJson: string,
): string {
  return `{"visitId":"${visitId}","visitedAt":"${visitedAt}","referrerHost":${
    referrerHost === null ? 'null' : `"${referrerHost}"`
  }${visitorJson}`;
}

/**
 * A batch's name in the visit stream, before the ledger's script adds how many of its visits it
 * granted: `linkId TAB version TAB slug TAB keptAt` (none of them holds a tab).
 */
export function queuedLinkNameOf(linkId: string, linkVersion: number, slug: string, keptAt: string): string {
  return `${linkId}\t${linkVersion}\t${slug}\t${keptAt}`;
}

/** A batch read back from its name (queuedLinkNameOf, a tab and its count) and its visits. */
export function queuedLinkVisitsOf(name: string, visits: Buffer): QueuedLinkVisits {
  const fields = name.split('\t');
  const count = Number(fields[4]);
  if (fields.length !== 5 || !Number.isInteger(count) || count < 1 || count > MAX_VISITS_PER_EVENT) {
    throw new Error(`not a queued batch of visits: ${name}`);
  }
  return {
    linkId: fields[0]!,
    linkVersion: Number(fields[1]),
    slug: fields[2]!,
    keptAt: fields[3]!,
    count,
    visits,
  };
}

/**
 * A stream entry's batches, from its fields (a name and its visits, per batch); its one field `v`
 * is lines an instance older than ADR 0061 queued.
 */
export function queuedBatchesOf(fields: readonly Buffer[]): QueuedLinkVisits[] {
  if (fields.length === 2 && fields[0]!.toString() === 'v')
    return linesAsQueuedLinkVisits(fields[1]!.toString());
  const batches: QueuedLinkVisits[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    batches.push(queuedLinkVisitsOf(fields[index]!.toString(), fields[index + 1]!));
  }
  return batches;
}

const FAMILIES = new Set<string>(USER_AGENT_FAMILIES);

/**
 * Visits queued before ADR 0061 as tab-separated lines (`visitId, linkId, version, slug,
 * visitedAt, referrer host, family, bot, visitorHash`, joined by line breaks), each as a batch of
 * one: a stream entry an older instance left ships as it would have. A line the redirect path
 * could not have written throws.
 */
export function linesAsQueuedLinkVisits(lines: string): QueuedLinkVisits[] {
  return lines.split('\n').map((line) => {
    const fields = line.split('\t');
    const [visitId, linkId, linkVersion, slug, visitedAt, referrerHost, family, bot, visitorHash] = fields;
    if (fields.length !== 9 || !FAMILIES.has(family!) || !PLAIN.test(line.replaceAll('\t', ''))) {
      throw new Error(`not a queued visit: ${line}`);
    }
    return {
      linkId: linkId!,
      linkVersion: Number(linkVersion),
      slug: slug!,
      keptAt: visitedAt!,
      count: 1,
      visits: Buffer.from(
        visitJsonOf({
          visitId: visitId!,
          visitedAt: visitedAt!,
          referrerHost: referrerHost === '' ? null : referrerHost!,
          userAgentFamily: family as VisitOfLink['userAgentFamily'],
          bot: bot === '1',
          visitorHash: visitorHash!,
        }),
      ),
    };
  });
}

/**
 * The LinkVisitsRecorded messages queued batches leave as (ADR 0031): one per link and link
 * version, their batches joined in the order they came, up to MAX_VISITS_PER_EVENT visits each (a
 * batch is never cut: the ledger commits at most that many visits at once). kafkajs spends tens of
 * µs of CPU per message whatever its size, so a message per visit cost the redirect host more
 * than the redirect itself. The envelope's id is new each time it is built: a batch shipped again
 * may be joined differently, so consumers deduplicate by each visit's id, never the envelope's.
 * `join` writes each value (envelopeToMessage's; the shipper gives its ReusedValueBytes').
 */
export function visitMessagesOf(
  topic: string,
  batches: readonly QueuedLinkVisits[],
  join?: ValueJoin,
): BrokerMessage[] {
  const byLink = new Map<string, QueuedLinkVisits[]>();
  for (const batch of batches) {
    const key = `${batch.linkId}/${batch.linkVersion}`;
    const ofLink = byLink.get(key);
    if (ofLink === undefined) byLink.set(key, [batch]);
    else ofLink.push(batch);
  }
  const messages: BrokerMessage[] = [];
  for (const ofLink of byLink.values()) {
    let visits: Buffer[] = [];
    let count = 0;
    for (let index = 0; index < ofLink.length; index += 1) {
      const batch = ofLink[index]!;
      if (count + batch.count > MAX_VISITS_PER_EVENT) {
        messages.push(messageOf(topic, ofLink[index - 1]!, visits, join));
        visits = [];
        count = 0;
      }
      if (count > 0) visits.push(COMMA);
      visits.push(batch.visits);
      count += batch.count;
    }
    messages.push(messageOf(topic, ofLink[ofLink.length - 1]!, visits, join));
  }
  return messages;
}

const COMMA = Buffer.from(',');
const CLOSING = Buffer.from(']}');

/** One LinkVisitsRecorded: the link as `last` names it, kept when `last` was. */
function messageOf(
  topic: string,
  last: QueuedLinkVisits,
  visits: readonly Buffer[],
  join: ValueJoin | undefined,
): BrokerMessage {
  const id = newId();
  const envelope: EventEnvelope<null> = {
    id,
    type: 'LinkVisitsRecorded',
    schemaVersion: 1,
    aggregateType: 'ShortLink',
    aggregateId: last.linkId,
    aggregateVersion: last.linkVersion,
    occurredAt: last.keptAt,
    correlationId: id,
    causationId: null,
    traceparent: null,
    tracestate: null,
    payload: null,
  };
  const opening = Buffer.from(`{"linkId":"${last.linkId}","slug":"${last.slug}","visits":[`);
  return envelopeToMessage(topic, envelope, [opening, ...visits, CLOSING], join);
}

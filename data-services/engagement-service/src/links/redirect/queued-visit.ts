import { envelopeToMessage, type BrokerMessage, type EventEnvelope } from '@strata/events';
import {
  MAX_VISITS_PER_EVENT,
  USER_AGENT_FAMILIES,
  type LinkVisited,
  type UserAgentFamily,
} from '@strata/links';
import { newId } from '@strata/shared-kernel';

/**
 * A granted visit while it waits in the visit queue for the shipper: the LinkVisited payload and
 * the link's version, one tab-separated line. Not the envelope's JSON: the redirect path writes
 * one short line per visit (no JSON on the hottest path), and the shipper, off it, builds the
 * envelope once. No field can hold a tab or a line break (ids, a slug, digits, a host name as the
 * URL parser writes it, a family name, a hex hash), so a batch of visits is their lines joined by
 * `\n`.
 */
export interface QueuedVisit extends LinkVisited {
  /** The link's version the visit resolved against: the envelope's `aggregateVersion` (ADR 0018). */
  readonly linkVersion: number;
}

export function encodeQueuedVisit(visit: QueuedVisit): string {
  return `${visit.visitId}\t${visit.linkId}\t${visit.linkVersion}\t${visit.slug}\t${visit.visitedAt}\t${
    visit.referrerHost ?? ''
  }\t${visit.userAgentFamily}\t${visit.bot ? 1 : 0}\t${visit.visitorHash}`;
}

const FAMILIES = new Set<string>(USER_AGENT_FAMILIES);

type QueuedVisitFields = [string, string, string, string, string, string, UserAgentFamily, string, string];

/** A queued visit's line split into its fields; a line the redirect path could not have written throws. */
function fieldsOf(line: string): QueuedVisitFields {
  const fields = line.split('\t');
  if (fields.length !== 9 || !FAMILIES.has(fields[6]!)) throw new Error(`not a queued visit: ${line}`);
  return fields as QueuedVisitFields;
}

/** A queued visit's line read back; a line the redirect path could not have written throws. */
export function decodeQueuedVisit(line: string): QueuedVisit {
  const [visitId, linkId, linkVersion, slug, visitedAt, referrerHost, userAgentFamily, bot, visitorHash] =
    fieldsOf(line);
  return {
    visitId,
    linkId,
    linkVersion: Number(linkVersion),
    slug,
    visitedAt,
    referrerHost: referrerHost === '' ? null : referrerHost,
    userAgentFamily,
    bot: bot === '1',
    visitorHash,
  };
}

// Nothing in a queued line's fields may need escaping in JSON (see QueuedVisit); a line with any
// of these (the tabs between fields aside) was not written by the redirect path.
const NOT_PLAIN_JSON = /["\\\x00-\x08\x0a-\x1f\x7f]/;

/**
 * The LinkVisitsRecorded messages queued visits leave as (ADR 0031): one per link and link
 * version, in the order the lines came, up to MAX_VISITS_PER_EVENT visits each. kafkajs spends
 * tens of µs of CPU per message whatever its size, so a message per visit cost the redirect host
 * more than the redirect itself. The envelope's id is new each time it is built: a batch shipped
 * again may be cut differently, so consumers deduplicate by each visit's id, never the envelope's.
 *
 * The visits' JSON is written straight from the lines' fields, none of which needs escaping: no
 * object per visit and no JSON.stringify of a thousand of them, which were most of the link events
 * thread's own work and garbage (ADR 0043 addendum). A line that could not have been written by
 * encodeQueuedVisit throws, as decodeQueuedVisit does.
 */
export function visitMessagesOf(topic: string, lines: readonly string[]): BrokerMessage[] {
  const byLink = new Map<string, QueuedVisitFields[]>();
  for (const line of lines) {
    const fields = fieldsOf(line);
    if (NOT_PLAIN_JSON.test(line)) throw new Error(`not a queued visit: ${line}`);
    const key = `${fields[1]}/${fields[2]}`;
    const visits = byLink.get(key);
    if (visits === undefined) byLink.set(key, [fields]);
    else visits.push(fields);
  }
  const messages: BrokerMessage[] = [];
  for (const visits of byLink.values()) {
    for (let from = 0; from < visits.length; from += MAX_VISITS_PER_EVENT) {
      const chunk = visits.slice(from, from + MAX_VISITS_PER_EVENT);
      const [, linkId, linkVersion, slug] = chunk[0]!;
      let json = `{"linkId":"${linkId}","slug":"${slug}","visits":[`;
      for (let index = 0; index < chunk.length; index += 1) {
        const [visitId, , , , visitedAt, referrerHost, family, bot, visitorHash] = chunk[index]!;
        json += `${index === 0 ? '' : ','}{"visitId":"${visitId}","visitedAt":"${visitedAt}","referrerHost":${
          referrerHost === '' ? 'null' : `"${referrerHost}"`
        },"userAgentFamily":"${family}","bot":${bot === '1'},"visitorHash":"${visitorHash}"}`;
      }
      json += ']}';
      const id = newId();
      const envelope: EventEnvelope<null> = {
        id,
        type: 'LinkVisitsRecorded',
        schemaVersion: 1,
        aggregateType: 'ShortLink',
        aggregateId: linkId,
        aggregateVersion: Number(linkVersion),
        occurredAt: chunk[chunk.length - 1]![4],
        correlationId: id,
        causationId: null,
        traceparent: null,
        tracestate: null,
        payload: null,
      };
      messages.push(envelopeToMessage(topic, envelope, json));
    }
  }
  return messages;
}

import { topicFor } from '@strata/events';
import { linksContract } from '@strata/links/contract';

const { LinkVisited, LinkVisitsRecorded } = linksContract.aggregates.ShortLink.events;
// The contract says where the visits travel (and the event catalog prints it from there).
const visitsTopicSuffix = LinkVisitsRecorded.topicSuffix;
if (visitsTopicSuffix === undefined || LinkVisited.topicSuffix !== visitsTopicSuffix)
  throw new Error('the links contract must give LinkVisited and LinkVisitsRecorded one topic suffix');

/**
 * Where the redirect instances ship the links' visits: `strata[.<namespace>].links.events.visits`,
 * a topic of their own beside the links' events (ADR 0063). The visits are most of what the links
 * context publishes, hundreds of kilobytes a message; on the links topic, every redirect
 * instance's cache invalidation fetched and decompressed them all only to skip them.
 */
export function linkVisitsTopicFor(namespace?: string): string {
  return `${topicFor(linksContract.context, namespace)}.${visitsTopicSuffix}`;
}

import {
  contractEventCatalog,
  messageBody,
  parseEnvelope,
  type DeliveredMessage,
  type MessageProcessor,
  type ProcessOutcome,
} from '@strata/events';
import { linksContract } from '@strata/links/contract';
import type { LinkCache } from './link-cache.ts';

/** The link's own events: each one changes what a visit to its slug comes to. */
const CHANGES = new Set(['ShortLinkCreated', 'ShortLinkDisabled', 'ShortLinkEnabled', 'ShortLinkExpired']);

/**
 * Keeps the redirect cache true to the links' events: each link event drops the slug from the
 * shared cache, fences fills older than the event's version, and tells every instance to drop its
 * local copy. Idempotent (a second drop changes nothing), so it needs no inbox. Visits ship on a
 * topic of their own (ADR 0063); those an older instance shipped on the links topic, and any other
 * event there, are skipped on their header without parsing the envelope.
 */
export class RedirectCacheInvalidation implements MessageProcessor {
  readonly consumerGroup: string;
  readonly #cache: LinkCache;
  readonly #schema = contractEventCatalog(linksContract).schema;

  constructor(cache: LinkCache, consumerGroup: string) {
    this.#cache = cache;
    this.consumerGroup = consumerGroup;
  }

  async process(message: DeliveredMessage): Promise<ProcessOutcome> {
    if (!CHANGES.has(message.headers['event-type'] ?? '')) return 'skipped';
    let envelope;
    try {
      envelope = parseEnvelope(messageBody(message.value), this.#schema);
    } catch {
      // Not ours to dead-letter: engagement-service's own consumers judge the topic's messages.
      return 'skipped';
    }
    const { slug } = envelope.payload as { slug: string };
    await this.#cache.invalidate(slug, envelope.aggregateVersion);
    return 'handled';
  }
}

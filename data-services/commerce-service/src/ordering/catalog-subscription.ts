import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { applyToOffer, OFFER_EVENTS } from './offer-projection.ts';
import { offerRecordSchema } from './offer-record.ts';

/**
 * Ordering reads the catalog's published language, never its code or tables: each offer event
 * merges into `ordering_offers` in the inbox's transaction. No row lock: a course's events share
 * one partition (keyed by course id), so one consumer handles them one at a time, and the merge
 * gives the same offer in any order (applyToOffer).
 */
async function keepOffer(envelope: EventEnvelope, em: SqlEntityManager): Promise<void> {
  const payload = envelope.payload as Record<string, unknown>;
  const current = await em.findOne(offerRecordSchema, { courseId: payload.courseId as string });
  const next = applyToOffer(current, {
    type: envelope.type,
    courseVersion: envelope.aggregateVersion,
    payload,
  });
  if (next !== null) await em.upsert(offerRecordSchema, next);
}

/** The handlers of the catalog's events ordering keeps its offers from. */
export function catalogOfferHandlers(): Record<string, EventHandler<SqlEntityManager>> {
  return Object.fromEntries(OFFER_EVENTS.map((type) => [type, keepOffer]));
}

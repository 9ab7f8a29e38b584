import { EntitySchema } from '@mikro-orm/core';
import type { Offer } from '@strata/ordering';
import { Money } from '@strata/shared-kernel';

/**
 * Ordering's own record of a course for sale, kept from the catalog's events (never read from the
 * catalog's tables). Each group of fields remembers the course version that last set it, so an
 * event that arrives late (a replay, a redelivery after a newer one) never rolls a field back, and
 * one that arrives early is kept until the rest catches up: a price change delivered before the
 * publication it follows keeps its price when that publication comes.
 */
export interface OfferRecord {
  courseId: string;
  /** Null until CoursePublished told it: such a row is not an offer yet. */
  instructorId: string | null;
  title: string | null;
  priceAmount: number | null;
  priceCurrency: string | null;
  published: boolean;
  /** The course version of the event that last set the title. */
  detailsVersion: number;
  /** The course version of the event that last set the price. */
  priceVersion: number;
  /** The course version of the event that last published or withdrew the course. */
  listingVersion: number;
}

export const offerRecordSchema = new EntitySchema<OfferRecord>({
  name: 'OfferRecord',
  tableName: 'ordering_offers',
  properties: {
    courseId: { type: 'string', primary: true, length: 36 },
    instructorId: { type: 'string', length: 36, nullable: true },
    title: { type: 'string', length: 120, nullable: true },
    priceAmount: { type: 'integer', nullable: true },
    priceCurrency: { type: 'string', length: 3, nullable: true },
    published: { type: 'boolean' },
    detailsVersion: { type: 'integer' },
    priceVersion: { type: 'integer' },
    listingVersion: { type: 'integer' },
  },
  indexes: [{ name: 'ordering_offers_instructor_id', properties: ['instructorId', 'courseId'] }],
});

/** The offer a record holds, or null while the course's publication has not been seen. */
export function toOffer(record: OfferRecord): Offer | null {
  const { instructorId, title, priceAmount, priceCurrency } = record;
  if (instructorId === null || title === null || priceAmount === null || priceCurrency === null) return null;
  return {
    courseId: record.courseId,
    instructorId,
    title,
    price: Money.of(priceAmount, priceCurrency),
    published: Boolean(record.published),
  };
}

/** A learner’s certificate for a course, as learning announces it (CertificateIssued, see certificate-subscription.ts). */
export interface CertificateRecord {
  learnerId: string;
  courseId: string;
  issuedAt: Date;
}

export const certificateRecordSchema = new EntitySchema<CertificateRecord>({
  name: 'CertificateRecord',
  tableName: 'ordering_certificates',
  properties: {
    learnerId: { type: 'string', primary: true, length: 36 },
    courseId: { type: 'string', primary: true, length: 36 },
    issuedAt: { type: 'datetime' },
  },
});

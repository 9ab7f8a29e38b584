import type { OfferRecord } from './offer-record.ts';

/** A catalog event as the offers projection reads it: its payload and the course version it made. */
export interface CatalogFact {
  readonly type: string;
  readonly courseVersion: number;
  readonly payload: Record<string, unknown>;
}

const blank = (courseId: string): OfferRecord => ({
  courseId,
  instructorId: null,
  title: null,
  priceAmount: null,
  priceCurrency: null,
  published: false,
  detailsVersion: 0,
  priceVersion: 0,
  listingVersion: 0,
});

interface Price {
  amount: number;
  currency: string;
}

/**
 * The offer after one catalog event, or null when the event says nothing ordering keeps. Fields
 * are set only by an event newer than the one that last set them (see OfferRecord), so applying
 * events in any order, or one twice, ends in the same offer as applying them in course order.
 */
export function applyToOffer(current: OfferRecord | null, fact: CatalogFact): OfferRecord | null {
  const payload = fact.payload;
  const offer = { ...(current ?? blank(payload.courseId as string)) };
  const version = fact.courseVersion;
  const setDetails = (title: string) => {
    if (offer.detailsVersion >= version) return;
    offer.title = title;
    offer.detailsVersion = version;
  };
  const setPrice = (price: Price) => {
    if (offer.priceVersion >= version) return;
    offer.priceAmount = price.amount;
    offer.priceCurrency = price.currency;
    offer.priceVersion = version;
  };
  const setListing = (published: boolean) => {
    if (offer.listingVersion >= version) return;
    offer.published = published;
    offer.listingVersion = version;
  };
  switch (fact.type) {
    case 'CoursePublished':
      // The instructor never changes; the publication is where ordering first learns it.
      offer.instructorId = payload.instructorId as string;
      setDetails(payload.title as string);
      setPrice(payload.price as Price);
      setListing(true);
      break;
    case 'CoursePriceChanged':
      setPrice(payload.price as Price);
      break;
    case 'CourseDetailsEdited':
      setDetails(payload.title as string);
      break;
    case 'CourseUnpublished':
    case 'CourseArchived':
      setListing(false);
      break;
    default:
      return null;
  }
  return offer;
}

/** The catalog events the offers projection reads. */
export const OFFER_EVENTS = [
  'CoursePublished',
  'CoursePriceChanged',
  'CourseDetailsEdited',
  'CourseUnpublished',
  'CourseArchived',
] as const;

import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { envelopeToMessage, type EventEnvelope } from '@strata/events';
import { newId } from '@strata/shared-kernel';
import { applyToOffer, type CatalogFact } from '../src/ordering/offer-projection.ts';
import type { OfferRecord } from '../src/ordering/offer-record.ts';
import { CommerceWorld, eur, instructorCaller, type Storage } from './commerce-world.ts';

// The checkout asks this provider for a payment for every order placed.
const simulator = usePaymentSimulator();

describe.each<Storage>(['MariaDB', 'SQLite'])(
  "ordering's offers, fed by the catalog's events (%s)",
  (storage) => {
    const world = new CommerceWorld(simulator);
    const instructor = instructorCaller();

    beforeAll(() => world.start(storage));
    afterAll(() => world.stop());

    it('knows nothing of a draft, and a published course as an offer with its instructor, title and price', async () => {
      const draft = await world.catalog.Course.draft({ title: 'Still a draft' }, { caller: instructor });
      const courseId = await world.publishedCourse(eur(2900), instructor, 'Practical SQL');
      await world.settled();

      expect(await world.offerRow(draft.id)).toBeUndefined();
      expect(await world.offerRow(courseId)).toEqual({
        title: 'Practical SQL',
        price_amount: 2900,
        price_currency: 'EUR',
        published: true,
        instructor_id: instructor.userId,
      });
    });

    it('follows price changes and edits, and withdraws the offer when the course is unpublished or archived', async () => {
      const unpublished = await world.publishedCourse(eur(1000), instructor, 'Regular expressions');
      const archived = await world.publishedCourse(eur(1500), instructor, 'Shell scripting');

      await world.catalog.Course.setPrice(unpublished, { price: eur(1200) }, { caller: instructor });
      await world.catalog.Course.editDetails(unpublished, { title: 'Regex, gently' }, { caller: instructor });
      await world.catalog.Course.unpublish(unpublished, {}, { caller: instructor });
      await world.catalog.Course.archive(archived, {}, { caller: instructor });
      await world.settled();

      expect(await world.offerRow(unpublished)).toMatchObject({
        title: 'Regex, gently',
        price_amount: 1200,
        published: false,
      });
      expect(await world.offerRow(archived)).toMatchObject({ title: 'Shell scripting', published: false });
    });

    it('reads the catalog as its own consumer group, and keeps an early price change through a late publication', async () => {
      const [consumer] = world.service.consumers;
      const courseId = newId();
      const envelope = (type: string, aggregateVersion: number, payload: object): EventEnvelope => ({
        id: newId(),
        type,
        schemaVersion: 1,
        aggregateType: 'Course',
        aggregateId: courseId,
        aggregateVersion,
        occurredAt: world.clock.now().toISOString(),
        correlationId: newId(),
        causationId: null,
        traceparent: null,
        tracestate: null,
        payload,
      });
      const deliver = (event: EventEnvelope) =>
        consumer!.processor.process({
          ...envelopeToMessage(consumer!.topics[0]!, event),
          partition: 0,
          offset: '0',
        });
      const priceChanged = envelope('CoursePriceChanged', 6, {
        courseId,
        price: eur(2500),
        previousPrice: eur(2000),
      });
      const published = envelope('CoursePublished', 5, {
        courseId,
        instructorId: instructor.userId,
        title: 'Late news',
        description: 'delivered out of order',
        price: eur(2000),
        lessonCount: 1,
      });

      expect(world.service.consumers.map((each) => each.processor.consumerGroup)).toEqual([
        'commerce-service.ordering',
      ]);
      expect(await deliver(priceChanged)).toBe('handled');
      expect(await world.offerRow(courseId)).toMatchObject({
        title: null,
        price_amount: 2500,
        published: false,
      });
      expect(await deliver(published)).toBe('handled');
      expect(await deliver(priceChanged)).toBe('duplicate');
      expect(await world.offerRow(courseId)).toEqual({
        title: 'Late news',
        price_amount: 2500,
        price_currency: 'EUR',
        published: true,
        instructor_id: instructor.userId,
      });
    });

    it('offers the course again when it is published again', async () => {
      const courseId = await world.publishedCourse(eur(800), instructor, 'Make and its friends');
      await world.catalog.Course.unpublish(courseId, {}, { caller: instructor });
      await world.catalog.Course.publish(courseId, {}, { caller: instructor });
      await world.settled();

      expect(await world.offerRow(courseId)).toMatchObject({ price_amount: 800, published: true });
    });
  },
);

describe('the offers projection, whatever order the events arrive in', () => {
  const courseId = newId();
  const instructorId = newId();
  const facts: CatalogFact[] = [
    {
      type: 'CoursePublished',
      courseVersion: 3,
      payload: { courseId, instructorId, title: 'First title', price: eur(1000) },
    },
    { type: 'CoursePriceChanged', courseVersion: 4, payload: { courseId, price: eur(1500) } },
    { type: 'CourseDetailsEdited', courseVersion: 5, payload: { courseId, title: 'Second title' } },
    { type: 'CourseUnpublished', courseVersion: 6, payload: { courseId } },
    {
      type: 'CoursePublished',
      courseVersion: 7,
      payload: { courseId, instructorId, title: 'Second title', price: eur(1500) },
    },
  ];
  const fold = (sequence: CatalogFact[]) =>
    sequence.reduce<OfferRecord | null>((offer, fact) => applyToOffer(offer, fact) ?? offer, null);

  it('ends in the same offer in course order, reversed, and with every event delivered twice', () => {
    const inOrder = fold(facts);
    expect(inOrder).toMatchObject({
      title: 'Second title',
      priceAmount: 1500,
      published: true,
      instructorId,
    });
    expect(fold([...facts].reverse())).toEqual(inOrder);
    expect(fold([...facts, ...facts.slice(0, 3)])).toEqual(inOrder);
  });

  it('keeps a price change that arrives before the publication it follows', () => {
    const early = fold([facts[1]!, facts[0]!]);
    expect(early).toMatchObject({ priceAmount: 1500, title: 'First title', published: true });
  });

  it('keeps a course withdrawn when its older publication arrives after the withdrawal', () => {
    expect(fold([facts[3]!, facts[0]!])).toMatchObject({ published: false, title: 'First title' });
  });

  it('ignores catalog events that say nothing about an offer', () => {
    expect(applyToOffer(null, { type: 'LessonAdded', courseVersion: 2, payload: { courseId } })).toBeNull();
  });
});

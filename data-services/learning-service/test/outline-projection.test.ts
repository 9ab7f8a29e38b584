import { describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import { applyToOutline, type CatalogFact } from '../src/learning/outline-projection.ts';
import type { OutlineRecord } from '../src/learning/outline-record.ts';

const courseId = newId();
const instructorId = newId();
const [a, b, c, d] = [newId(), newId(), newId(), newId()];

/** One course's history in course order: drafted lessons, a reorder, publication, changes after it. */
const history: CatalogFact[] = [
  { type: 'LessonAdded', courseVersion: 2, payload: { courseId, lessonId: a, position: 0 } },
  { type: 'LessonAdded', courseVersion: 3, payload: { courseId, lessonId: b, position: 1 } },
  { type: 'LessonAdded', courseVersion: 4, payload: { courseId, lessonId: c, position: 2 } },
  { type: 'LessonsReordered', courseVersion: 5, payload: { courseId, lessonIds: [c, a, b] } },
  {
    type: 'CoursePriceChanged',
    courseVersion: 6,
    payload: { courseId, price: { amount: 0, currency: 'EUR' } },
  },
  {
    type: 'CoursePublished',
    courseVersion: 7,
    payload: { courseId, instructorId, price: { amount: 0, currency: 'EUR' } },
  },
  { type: 'LessonRemoved', courseVersion: 8, payload: { courseId, lessonId: a } },
  { type: 'LessonAdded', courseVersion: 9, payload: { courseId, lessonId: d, position: 2 } },
  {
    type: 'CoursePriceChanged',
    courseVersion: 10,
    payload: { courseId, price: { amount: 900, currency: 'EUR' } },
  },
  { type: 'CourseUnpublished', courseVersion: 11, payload: { courseId, unpublishedBy: instructorId } },
];

const replay = (facts: readonly CatalogFact[]): OutlineRecord =>
  facts.reduce<OutlineRecord | null>((outline, fact) => applyToOutline(outline, fact) ?? outline, null)!;

/** Deterministic shuffles (a small LCG), so a failure names the seed that reproduces it. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe("learning's outline of a course, from the catalog's events", () => {
  it('follows the catalog: a reorder, a removal, a lesson added at the end, the price and the listing', () => {
    const outline = replay(history);
    expect(outline).toMatchObject({
      courseId,
      instructorId,
      lessonIds: [c, b, d],
      lessonCount: 3,
      priceAmount: 900,
      published: false,
    });
  });

  it('ends in the same outline whatever order the events arrive in, and with every event delivered twice', () => {
    const expected = replay(history);
    for (let seed = 1; seed <= 200; seed += 1) {
      const arrival = shuffled([...history, ...history], seed);
      expect({ seed, outline: replay(arrival) }).toEqual({ seed, outline: expected });
    }
  });

  it('keeps nothing for events it does not read', () => {
    expect(
      applyToOutline(null, {
        type: 'CourseDetailsEdited',
        courseVersion: 3,
        payload: { courseId, title: 'x' },
      }),
    ).toBeNull();
  });
});

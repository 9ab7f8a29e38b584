import type { EventEnvelope } from '@strata/events';
import { jsonColumn } from './json-column.ts';
import type { LessonFact, OutlineRecord } from './outline-record.ts';

/** A catalog event as the outline projection reads it: its payload and the course version it made. */
export interface CatalogFact {
  readonly type: string;
  readonly courseVersion: number;
  readonly payload: Record<string, unknown>;
}

/**
 * What the projection reads of a catalog envelope. The live consumer and the rebuild
 * (`rebuild-outlines.ts`) both go through this and `applyToOutline`, so they cannot disagree.
 */
export function catalogFactOf(
  envelope: Pick<EventEnvelope, 'type' | 'aggregateVersion' | 'payload'>,
): CatalogFact {
  return {
    type: envelope.type,
    courseVersion: envelope.aggregateVersion,
    payload: envelope.payload as Record<string, unknown>,
  };
}

const blank = (courseId: string): OutlineRecord => ({
  courseId,
  instructorId: null,
  published: false,
  priceAmount: null,
  lessons: [],
  reorderedLessonIds: [],
  reorderVersion: 0,
  lessonIds: [],
  lessonCount: 0,
  priceVersion: 0,
  listingVersion: 0,
});

/**
 * The outline's lessons in the learner's order, from the lesson facts: the catalog appends an added
 * lesson at the end, removes a removed one for good (a lesson id is never added again) and a
 * reorder names every lesson the course had then. So the order now is the latest reorder's, less
 * the lessons removed since, then the lessons added after it in the order they were added.
 */
export function outlineLessonIds(
  lessons: readonly LessonFact[],
  reorderedLessonIds: readonly string[],
): string[] {
  const present = lessons.filter((lesson) => lesson.addedVersion !== null && lesson.removedVersion === null);
  const presentIds = new Set(present.map((lesson) => lesson.lessonId));
  const reordered = reorderedLessonIds.filter((lessonId) => presentIds.has(lessonId));
  const placed = new Set(reordered);
  const appended = present
    .filter((lesson) => !placed.has(lesson.lessonId))
    .sort((a, b) => a.addedVersion! - b.addedVersion! || (a.lessonId < b.lessonId ? -1 : 1))
    .map((lesson) => lesson.lessonId);
  return [...reordered, ...appended];
}

/**
 * The outline after one catalog event, or null when the event says nothing learning keeps. Every
 * field is set only by an event newer than the one that last set it, and lesson facts only ever
 * gain information, so the result does not depend on the order the events arrive in.
 */
export function applyToOutline(current: OutlineRecord | null, fact: CatalogFact): OutlineRecord | null {
  const payload = fact.payload;
  const outline: OutlineRecord = { ...(current ?? blank(payload.courseId as string)) };
  outline.lessons = [...jsonColumn(outline.lessons)];
  outline.reorderedLessonIds = jsonColumn(outline.reorderedLessonIds);
  const version = fact.courseVersion;
  const setPrice = (price: { amount: number }) => {
    if (outline.priceVersion >= version) return;
    outline.priceAmount = price.amount;
    outline.priceVersion = version;
  };
  const setListing = (published: boolean) => {
    if (outline.listingVersion >= version) return;
    outline.published = published;
    outline.listingVersion = version;
  };
  const lesson = (lessonId: string): LessonFact => {
    const known = outline.lessons.find((each) => each.lessonId === lessonId);
    if (known !== undefined) return known;
    const fresh: LessonFact = { lessonId, addedVersion: null, removedVersion: null };
    outline.lessons.push(fresh);
    return fresh;
  };
  const replaceLesson = (next: LessonFact) => {
    outline.lessons = outline.lessons.map((each) => (each.lessonId === next.lessonId ? next : each));
  };
  switch (fact.type) {
    case 'CoursePublished':
      // The instructor never changes; the publication is where learning first learns it.
      outline.instructorId = payload.instructorId as string;
      setPrice(payload.price as { amount: number });
      setListing(true);
      break;
    case 'CoursePriceChanged':
      setPrice(payload.price as { amount: number });
      break;
    case 'CourseUnpublished':
    case 'CourseArchived':
      setListing(false);
      break;
    case 'LessonAdded': {
      const known = lesson(payload.lessonId as string);
      if (known.addedVersion === null) replaceLesson({ ...known, addedVersion: version });
      break;
    }
    case 'LessonRemoved': {
      const known = lesson(payload.lessonId as string);
      if (known.removedVersion === null) replaceLesson({ ...known, removedVersion: version });
      break;
    }
    case 'LessonsReordered':
      if (outline.reorderVersion >= version) break;
      outline.reorderedLessonIds = [...(payload.lessonIds as string[])];
      outline.reorderVersion = version;
      break;
    default:
      return null;
  }
  // Kept sorted by id, so the record itself (not only the outline) is the same whatever the arrival order.
  outline.lessons.sort((x, y) => (x.lessonId < y.lessonId ? -1 : x.lessonId > y.lessonId ? 1 : 0));
  outline.lessonIds = outlineLessonIds(outline.lessons, outline.reorderedLessonIds);
  outline.lessonCount = outline.lessonIds.length;
  return outline;
}

/** The catalog events the outline projection reads (config/topology.ts lists the same). */
export const OUTLINE_EVENTS = [
  'CoursePublished',
  'CoursePriceChanged',
  'CourseUnpublished',
  'CourseArchived',
  'LessonAdded',
  'LessonRemoved',
  'LessonsReordered',
] as const;

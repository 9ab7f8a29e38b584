import { EntitySchema } from '@mikro-orm/core';
import type { CourseOutline } from '@strata/learning';
import { jsonColumn } from './json-column.ts';

/** One lesson as the catalog announced it: the course versions that added it and removed it. */
export interface LessonFact {
  lessonId: string;
  /** Null while only its removal has been heard (events of one course may arrive out of order). */
  addedVersion: number | null;
  removedVersion: number | null;
}

/**
 * Learning's own record of a course, kept from the catalog's events (never read from the catalog's
 * tables). Like ordering's offers, each group of fields remembers the course version that last set
 * it, so a late event (a replay, a redelivery after a newer one) never rolls a field back and an
 * early one is kept until the rest catches up. The lessons are kept as facts (added at, removed at,
 * the latest reorder) from which the outline is derived (`lessonIds`), so that applying the
 * catalog's events in any order, or one twice, ends in the outline of applying them in course order.
 */
export interface OutlineRecord {
  courseId: string;
  /** Null until CoursePublished told it: the instructor's statistics group courses by it. */
  instructorId: string | null;
  published: boolean;
  /** Null until a price was heard; a course priced at zero is free. */
  priceAmount: number | null;
  /** Every lesson ever heard of, with the versions that added and removed it. */
  lessons: LessonFact[];
  /** The lesson ids of the latest LessonsReordered heard, and its course version (0: none). */
  reorderedLessonIds: string[];
  reorderVersion: number;
  /** Derived from the facts above on every change: the outline's lesson ids in the learner's order. */
  lessonIds: string[];
  /** `lessonIds.length`, a column so readers count progress without parsing JSON. */
  lessonCount: number;
  /** The course version of the event that last set the price. */
  priceVersion: number;
  /** The course version of the event that last published or withdrew the course. */
  listingVersion: number;
}

export const outlineRecordSchema = new EntitySchema<OutlineRecord>({
  name: 'OutlineRecord',
  tableName: 'learning_outlines',
  properties: {
    courseId: { type: 'string', primary: true, length: 36 },
    instructorId: { type: 'string', length: 36, nullable: true },
    published: { type: 'boolean' },
    priceAmount: { type: 'integer', nullable: true },
    lessons: { type: 'json' },
    reorderedLessonIds: { type: 'json' },
    reorderVersion: { type: 'integer' },
    lessonIds: { type: 'json' },
    lessonCount: { type: 'integer' },
    priceVersion: { type: 'integer' },
    listingVersion: { type: 'integer' },
  },
  indexes: [{ name: 'learning_outlines_instructor_id', properties: ['instructorId', 'courseId'] }],
});

/** The outline the domain measures progress against. */
export function toCourseOutline(record: OutlineRecord): CourseOutline {
  return {
    courseId: record.courseId,
    lessonIds: jsonColumn(record.lessonIds),
    published: Boolean(record.published),
    free: record.priceAmount === 0,
  };
}

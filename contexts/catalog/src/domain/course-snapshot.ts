import type { Money } from '@strata/shared-kernel';
import type { CourseId } from './course-id.ts';
import type { CourseStatus } from './course-status.ts';
import type { CourseTitle } from './course-title.ts';
import type { Lesson } from './lesson.ts';

/**
 * Everything a course is, as one immutable value: what a store writes (`Course.toSnapshot()`) and
 * what it hands back to `Course.restore()`. The course's own fields stay private; this is the one
 * door its state goes in and out by, so no storage shape needs a public field on the aggregate.
 */
export interface CourseSnapshot {
  readonly id: CourseId;
  /** The version as persisted (see AggregateRoot). */
  readonly version: number;
  readonly instructorId: string;
  readonly title: CourseTitle;
  readonly description: string;
  readonly status: CourseStatus;
  readonly lessons: readonly Lesson[];
  readonly price: Money | null;
  readonly draftedAt: Date;
  readonly publishedAt: Date | null;
  /** Set once, on the first publication: from then on the price's currency is fixed. */
  readonly firstPublishedAt: Date | null;
}

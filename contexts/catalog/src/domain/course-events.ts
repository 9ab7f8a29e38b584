// What a Course announces. Payloads carry what a reader of the catalog needs to act without
// calling back (a listing can be built from CoursePublished alone); prices travel as plain
// { amount in minor units, currency } so every consumer reads them the same way.

import type { Money } from '@strata/shared-kernel';

/** A price as events carry it: Money's own plain form, so there is one shape for it. */
export type PriceData = ReturnType<Money['toJSON']>;

export interface CourseDrafted {
  readonly courseId: string;
  readonly instructorId: string;
  readonly title: string;
  readonly description: string;
}

export interface CourseDetailsEdited {
  readonly courseId: string;
  readonly title: string;
  readonly description: string;
}

export interface LessonAdded {
  readonly courseId: string;
  readonly lessonId: string;
  readonly title: string;
  /** Zero-based place in the course outline. */
  readonly position: number;
}

export interface LessonRenamed {
  readonly courseId: string;
  readonly lessonId: string;
  readonly title: string;
}

export interface LessonRemoved {
  readonly courseId: string;
  readonly lessonId: string;
}

export interface LessonsReordered {
  readonly courseId: string;
  readonly lessonIds: readonly string[];
}

export interface CoursePriceChanged {
  readonly courseId: string;
  readonly price: PriceData;
  readonly previousPrice: PriceData | null;
}

export interface CoursePublished {
  readonly courseId: string;
  readonly instructorId: string;
  readonly title: string;
  readonly description: string;
  readonly price: PriceData;
  readonly lessonCount: number;
}

export interface CourseUnpublished {
  readonly courseId: string;
  readonly unpublishedBy: string;
}

export interface CourseArchived {
  readonly courseId: string;
  readonly archivedBy: string;
}

export interface CourseEventPayloads {
  CourseDrafted: CourseDrafted;
  CourseDetailsEdited: CourseDetailsEdited;
  LessonAdded: LessonAdded;
  LessonRenamed: LessonRenamed;
  LessonRemoved: LessonRemoved;
  LessonsReordered: LessonsReordered;
  CoursePriceChanged: CoursePriceChanged;
  CoursePublished: CoursePublished;
  CourseUnpublished: CourseUnpublished;
  CourseArchived: CourseArchived;
}

export type CourseEventType = keyof CourseEventPayloads;

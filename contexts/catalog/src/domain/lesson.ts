import type { LessonId } from './lesson-id.ts';

/**
 * One unit of a course, in the order the course lists it. It has an identity of its own (so it
 * can be renamed, moved and later tracked as completed) but lives only inside its course: every
 * rule about lessons is the course's. Plain data, so that however the store keeps lessons (child
 * rows or a JSON column), what it reads back is a lesson.
 */
export interface Lesson {
  readonly id: LessonId;
  readonly title: string;
}

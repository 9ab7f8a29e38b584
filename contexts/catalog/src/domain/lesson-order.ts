import { DomainError } from '@strata/shared-kernel';
import type { Lesson } from './lesson.ts';

/**
 * The course's lessons in the order the instructor asked for, which must list every lesson of the
 * course exactly once; a request that leaves one out or names a stranger is refused, saying which.
 */
export function lessonsInOrder(lessons: readonly Lesson[], requested: readonly string[]): readonly Lesson[] {
  const current = lessons.map((lesson) => lesson.id as string);
  const listsEveryLessonOnce =
    requested.length === current.length &&
    new Set(requested).size === requested.length &&
    requested.every((id) => current.includes(id));
  if (!listsEveryLessonOnce) {
    throw DomainError.invalid(
      'lesson-order-must-list-every-lesson-once',
      'the new order must list every lesson of the course exactly once',
      {
        field: 'lessonIds',
        expected: current.length,
        missing: current.filter((id) => !requested.includes(id)),
        unknown: requested.filter((id) => !current.includes(id)),
      },
    );
  }
  const byId = new Map(lessons.map((lesson) => [lesson.id as string, lesson]));
  return requested.map((id) => byId.get(id) as Lesson);
}

/** The lesson of the course with this id; a missing one is NOT_FOUND. */
export function lessonWithId(lessons: readonly Lesson[], lessonId: string, courseId: string): Lesson {
  const lesson = lessons.find((each) => each.id === lessonId);
  if (!lesson) {
    throw DomainError.notFound('lesson-not-found', `this course has no lesson ${lessonId}`, {
      field: 'lessonId',
      courseId,
      lessonId,
    });
  }
  return lesson;
}

import type { CourseOutline } from './course-outline.ts';

/**
 * How far a learner is through a course, measured against its outline as it is now: lessons the
 * outline holds, which of them are done, and which are left. A lesson done and then removed from
 * the outline no longer counts; a lesson added after the course was completed shows as left
 * without un-completing the course (`courseCompleted` says what happened, not what is left).
 */
export interface Progress {
  readonly lessonCount: number;
  readonly lessonsDone: number;
  /** The outline's lessons not done yet, in the outline's order. */
  readonly lessonsLeft: readonly string[];
  readonly courseCompleted: boolean;
}

export function progressIn(
  outline: CourseOutline,
  completedLessonIds: readonly string[],
  courseCompleted: boolean,
): Progress {
  const done = new Set(completedLessonIds);
  const lessonsLeft = outline.lessonIds.filter((lessonId) => !done.has(lessonId));
  return {
    lessonCount: outline.lessonIds.length,
    lessonsDone: outline.lessonIds.length - lessonsLeft.length,
    lessonsLeft,
    courseCompleted,
  };
}

/** Every lesson of the outline is done. An outline without lessons is never done. */
export function everyLessonDone(outline: CourseOutline, completedLessonIds: readonly string[]): boolean {
  return (
    progressIn(outline, completedLessonIds, false).lessonsLeft.length === 0 && outline.lessonIds.length > 0
  );
}

/**
 * A course as learning knows it: its lessons in the catalog's order, whether it is in the
 * catalog, and whether it costs nothing. Learning keeps it from the catalog's events in its own
 * projection (never the catalog's tables) and the caller passes it in (`LearningQueries.outlineOf`).
 * It may change after a learner started: lessons are added, removed or reordered.
 */
export interface CourseOutline {
  readonly courseId: string;
  /** Lesson ids in the order the learner meets them. */
  readonly lessonIds: readonly string[];
  readonly published: boolean;
  /** Priced at zero: such a course needs no order, a learner enrolls in it directly. */
  readonly free: boolean;
}

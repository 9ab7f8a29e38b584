/** A lesson a learner finished, and when. Kept even when the lesson later leaves the outline. */
export interface CompletedLesson {
  readonly lessonId: string;
  readonly completedAt: Date;
}

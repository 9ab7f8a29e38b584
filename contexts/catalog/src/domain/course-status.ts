/**
 * Where a course stands. A draft is visible to its instructor only; a published course is in the
 * catalog learners browse and buy from; unpublishing returns it to draft; archived is final.
 */
export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;

export type CourseStatus = (typeof COURSE_STATUSES)[number];

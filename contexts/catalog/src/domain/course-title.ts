import { normalisePlainText } from '@strata/shared-kernel';

export const COURSE_TITLE_MIN_LENGTH = 3;
export const COURSE_TITLE_MAX_LENGTH = 120;

/** The name a course is listed and searched under: one line, 3 to 120 characters. */
export function normaliseCourseTitle(raw: string): string {
  return normalisePlainText(raw, {
    concept: 'course-title',
    field: 'title',
    minLength: COURSE_TITLE_MIN_LENGTH,
    maxLength: COURSE_TITLE_MAX_LENGTH,
    multiline: false,
  });
}

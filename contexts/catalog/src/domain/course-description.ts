import { normalisePlainText } from '@strata/shared-kernel';

export const COURSE_DESCRIPTION_MAX_LENGTH = 5000;

/** What a learner reads before buying: may be empty while drafting, may span lines. */
export function normaliseCourseDescription(raw: string): string {
  return normalisePlainText(raw, {
    concept: 'course-description',
    field: 'description',
    minLength: 0,
    maxLength: COURSE_DESCRIPTION_MAX_LENGTH,
    multiline: true,
  });
}

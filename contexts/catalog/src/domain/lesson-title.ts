import { normalisePlainText } from '@strata/shared-kernel';

export const LESSON_TITLE_MAX_LENGTH = 120;

/** A lesson's name in the course outline: one line, 1 to 120 characters. */
export function normaliseLessonTitle(raw: string): string {
  return normalisePlainText(raw, {
    concept: 'lesson-title',
    field: 'title',
    minLength: 1,
    maxLength: LESSON_TITLE_MAX_LENGTH,
    multiline: false,
  });
}

import { oneLineText } from '@strata/shared-kernel';

/** A lesson's name in the course outline: one line, 1 to 120 characters. */
export const lessonTitleText = oneLineText({ concept: 'lesson-title', field: 'title', length: [1, 120] });

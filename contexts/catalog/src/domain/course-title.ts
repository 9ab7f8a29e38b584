import { normalisePlainText, oneLineText, TextValue } from '@strata/shared-kernel';

/** The name a course is listed and searched under: one line, 3 to 120 characters. */
export const courseTitleText = oneLineText({ concept: 'course-title', field: 'title', length: [3, 120] });

export class CourseTitle extends TextValue {
  private constructor(value: string) {
    super(value);
  }

  /** Trims and checks a title as typed; refuses one that is empty, too long or spans lines. */
  static of(raw: string): CourseTitle {
    return new CourseTitle(normalisePlainText(raw, courseTitleText));
  }
}

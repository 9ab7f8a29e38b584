import { normalisePlainText } from '@strata/shared-kernel';

export const COURSE_TITLE_MIN_LENGTH = 3;
export const COURSE_TITLE_MAX_LENGTH = 120;

/** The name a course is listed and searched under: one line, 3 to 120 characters. */
export class CourseTitle {
  readonly #value: string;

  private constructor(value: string) {
    this.#value = value;
  }

  /** Trims and checks a title as typed; refuses one that is empty, too long or spans lines. */
  static of(raw: string): CourseTitle {
    return new CourseTitle(
      normalisePlainText(raw, {
        concept: 'course-title',
        field: 'title',
        minLength: COURSE_TITLE_MIN_LENGTH,
        maxLength: COURSE_TITLE_MAX_LENGTH,
        multiline: false,
      }),
    );
  }

  get value(): string {
    return this.#value;
  }

  equals(other: CourseTitle | null | undefined): boolean {
    return other != null && other.#value === this.#value;
  }

  toString(): string {
    return this.#value;
  }
}

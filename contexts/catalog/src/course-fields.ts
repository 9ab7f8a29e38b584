import { plainText, z } from '@strata/shared-kernel';
import { COURSE_DESCRIPTION_MAX_LENGTH } from './domain/course-description.ts';
import { MAX_PRICE_IN_MINOR_UNITS } from './domain/course-rules.ts';
import { COURSE_TITLE_MAX_LENGTH, COURSE_TITLE_MIN_LENGTH } from './domain/course-title.ts';
import { LESSON_TITLE_MAX_LENGTH } from './domain/lesson-title.ts';

// The catalog's fields as they travel (RPC inputs, views, event payloads): one schema a field, so
// a title is checked the same way wherever it crosses a boundary.

export const courseTitle = plainText({
  minLength: COURSE_TITLE_MIN_LENGTH,
  maxLength: COURSE_TITLE_MAX_LENGTH,
  multiline: false,
});

export const courseDescription = plainText({
  minLength: 0,
  maxLength: COURSE_DESCRIPTION_MAX_LENGTH,
  multiline: true,
});

export const lessonTitle = plainText({ minLength: 1, maxLength: LESSON_TITLE_MAX_LENGTH, multiline: false });

/** An amount in minor units (cents) and an ISO 4217 currency: no floats anywhere near a price. */
export const Price = z.object({
  amount: z.number().int().min(0).max(MAX_PRICE_IN_MINOR_UNITS),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code in capitals, e.g. EUR'),
});

export type Price = z.infer<typeof Price>;

import { plainText, z } from '@strata/shared-kernel';
import { courseDescriptionText } from './domain/course-description.ts';
import { MAX_PRICE_IN_MINOR_UNITS } from './domain/course-rules.ts';
import { courseTitleText } from './domain/course-title.ts';
import { lessonTitleText } from './domain/lesson-title.ts';

// The catalog's fields as they travel (RPC inputs, views, event payloads): one schema a field, built
// from the domain's own text rule, so a title is checked the same way wherever it crosses a boundary.

export const courseTitle = plainText(courseTitleText);

export const courseDescription = plainText(courseDescriptionText);

export const lessonTitle = plainText(lessonTitleText);

/** An amount in minor units (cents) and an ISO 4217 currency: no floats anywhere near a price. */
export const Price = z.object({
  amount: z.number().int().min(0).max(MAX_PRICE_IN_MINOR_UNITS),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code in capitals, e.g. EUR'),
});

export type Price = z.infer<typeof Price>;

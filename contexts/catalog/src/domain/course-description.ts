import { multilineText } from '@strata/shared-kernel';

/** What a learner reads before buying: may be empty while drafting, may span lines, up to 5000 characters. */
export const courseDescriptionText = multilineText({
  concept: 'course-description',
  field: 'description',
  length: [0, 5000],
});

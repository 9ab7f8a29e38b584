import { oneLineText } from '@strata/shared-kernel';

/** The name other people see next to a user's courses and reviews: one line, trimmed, 1 to 80 characters. */
export const displayNameText = oneLineText({
  concept: 'display-name',
  field: 'displayName',
  length: [1, 80],
});

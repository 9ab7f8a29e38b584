import { multilineText } from '@strata/shared-kernel';

/** Why an admin suspended a user, kept for the next admin and for the user: trimmed, 1 to 500 characters. */
export const suspensionReasonText = multilineText({
  concept: 'suspension-reason',
  field: 'reason',
  length: [1, 500],
});

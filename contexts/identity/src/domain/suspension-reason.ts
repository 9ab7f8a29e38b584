import { normalisePlainText } from '@strata/shared-kernel';

export const SUSPENSION_REASON_MAX_LENGTH = 500;

/** Why an admin suspended a user, kept for the next admin and for the user: trimmed, 1 to 500 characters. */
export function normaliseSuspensionReason(raw: string): string {
  return normalisePlainText(raw, {
    concept: 'suspension-reason',
    field: 'reason',
    minLength: 1,
    maxLength: SUSPENSION_REASON_MAX_LENGTH,
    multiline: true,
  });
}

import { DomainError } from '@strata/shared-kernel';

export const SUSPENSION_REASON_MAX_LENGTH = 500;

/** Why an admin suspended a user, kept for the next admin and for the user: trimmed, 1 to 500 characters. */
export function normaliseSuspensionReason(raw: string): string {
  const reason = raw.trim();
  if (reason.length === 0 || reason.length > SUSPENSION_REASON_MAX_LENGTH) {
    throw DomainError.invalid(
      'suspension-reason-must-be-1-to-500-characters',
      `a suspension needs a reason of 1 to ${SUSPENSION_REASON_MAX_LENGTH} characters once trimmed; got ${reason.length}`,
      { field: 'reason', length: reason.length },
    );
  }
  return reason;
}

import { normalisePlainText } from '@strata/shared-kernel';

export const DISPLAY_NAME_MAX_LENGTH = 80;

/** The name other people see next to a user's courses and reviews: one line, trimmed, 1 to 80 characters. */
export function normaliseDisplayName(raw: string): string {
  return normalisePlainText(raw, {
    concept: 'display-name',
    field: 'displayName',
    minLength: 1,
    maxLength: DISPLAY_NAME_MAX_LENGTH,
    multiline: false,
  });
}

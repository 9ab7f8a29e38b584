import { DomainError } from '@strata/shared-kernel';

export const DISPLAY_NAME_MAX_LENGTH = 80;

// Control characters (line breaks, escapes, bidi overrides) in a name shown to other people are
// a spoofing and log-injection tool, never a legitimate name.
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cf}]/u;

/** The name other people see next to a user's courses and reviews: trimmed, 1 to 80 characters. */
export function normaliseDisplayName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > DISPLAY_NAME_MAX_LENGTH) {
    throw DomainError.invalid(
      'display-name-must-be-1-to-80-characters',
      `a display name must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters once trimmed; got ${name.length}`,
      { field: 'displayName', length: name.length },
    );
  }
  if (CONTROL_CHARACTERS.test(name)) {
    throw DomainError.invalid(
      'display-name-must-not-contain-control-characters',
      'a display name must not contain control or formatting characters',
      {
        field: 'displayName',
      },
    );
  }
  return name;
}

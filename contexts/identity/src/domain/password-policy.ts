import { DomainError } from '@strata/shared-kernel';

export const PASSWORD_MIN_LENGTH = 12;
// Long enough for any passphrase, short enough that hashing it cannot be used to burn CPU.
export const PASSWORD_MAX_LENGTH = 256;

const CHARACTER_CLASSES = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];

/**
 * What a new password must satisfy before it is hashed. Length matters most; mixing at least two
 * kinds of character (lower case, upper case, digits, others) rules out the all-digits and
 * all-lower-case guesses tried first; a password equal to the email or its local part is the
 * first thing an attacker who knows the email tries.
 */
export function checkPasswordPolicy(password: string, email: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    throw DomainError.invalid(
      'password-too-short',
      `a password needs at least ${PASSWORD_MIN_LENGTH} characters; this one has ${length}`,
      {
        field: 'password',
        minLength: PASSWORD_MIN_LENGTH,
      },
    );
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw DomainError.invalid(
      'password-too-long',
      `a password may have at most ${PASSWORD_MAX_LENGTH} characters; this one has ${length}`,
      {
        field: 'password',
        maxLength: PASSWORD_MAX_LENGTH,
      },
    );
  }
  const classes = CHARACTER_CLASSES.filter((pattern) => pattern.test(password)).length;
  if (classes < 2) {
    throw DomainError.invalid(
      'password-must-mix-character-classes',
      'a password must mix at least two of: lower-case letters, upper-case letters, digits, other characters',
      { field: 'password' },
    );
  }
  const lowered = password.trim().toLowerCase();
  const localPart = email.slice(0, email.indexOf('@'));
  if (lowered === email || lowered === localPart) {
    throw DomainError.invalid(
      'password-must-not-match-email',
      'a password must not be the email address or its part before the @',
      {
        field: 'password',
      },
    );
  }
}

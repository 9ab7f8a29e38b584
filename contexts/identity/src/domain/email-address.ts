import { DomainError, TextValue } from '@strata/shared-kernel';

/** RFC 5321 caps a forward path at 254 characters; anything longer cannot be delivered. */
export const EMAIL_MAX_LENGTH = 254;

// Deliberately loose: one @, something on each side, a dot in the domain, no spaces. Whether the
// mailbox exists is settled by the verification mail, not by a cleverer pattern.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The one spelling of an email the platform stores and compares: trimmed and lower-cased, so that
 * "Ada@Example.org " and "ada@example.org" are the same account.
 */
export class EmailAddress extends TextValue {
  private constructor(value: string) {
    super(value);
  }

  static of(raw: string): EmailAddress {
    const email = raw.trim().toLowerCase();
    if (email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) {
      throw DomainError.invalid(
        'email-must-be-a-valid-address',
        `"${raw}" is not an email address a mail could be sent to`,
        { field: 'email' },
      );
    }
    return new EmailAddress(email);
  }
}

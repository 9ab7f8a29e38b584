import { DomainError } from '@strata/shared-kernel';

/*
 * Finders page by a unique key, so the order is total and a page boundary never skips or repeats
 * a row. The cursor is the last key served, opaque to callers (base64url) so its form can change
 * without breaking them. Every data service's finders share this form.
 */

const ID = /^[0-9a-f-]{36}$/;

export function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString('base64url');
}

/** The key a cursor resumes after; `key` says what a key of this finder looks like (an id by default). */
export function decodeCursor(cursor: string, key: RegExp = ID): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string' && key.test(decoded.after)) return decoded.after;
  } catch {
    // Falls through to the refusal below: a cursor is either one we issued or invalid.
  }
  throw DomainError.invalid(
    'cursor-is-not-valid',
    'this cursor was not issued by this finder; pass back nextCursor from the previous page unchanged',
    { field: 'cursor' },
  );
}

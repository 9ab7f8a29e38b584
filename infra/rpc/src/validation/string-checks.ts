/**
 * The string checks a compiled contract check calls at run time (compile-check.ts hands them to the
 * generated function): cheaper by hand than the patterns zod would run, with the same answers.
 */
/**
 * zod's uuid pattern (any version 1–8, RFC variant, or the nil and max uuids): most of a
 * contract's checks are ids, and tested by hand it costs a fraction of the regex.
 */
export const ZOD_UUID_SOURCE =
  '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$';

export function isZodUuid(value: string): boolean {
  if (value.length !== 36) return false;
  for (let index = 0; index < 36; index++) {
    const code = value.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 45) return false;
    } else if (!isHex(code)) return false;
  }
  const version = value.charCodeAt(14);
  const variant = value.charCodeAt(19) | 0x20;
  if (
    version >= 49 &&
    version <= 56 &&
    (variant === 56 || variant === 57 || variant === 97 || variant === 98)
  )
    return true;
  return value === '00000000-0000-0000-0000-000000000000' || value === 'ffffffff-ffff-ffff-ffff-ffffffffffff';
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** As zod 4.6 counts a string's length: a surrogate pair is one character. */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length - 1; index++) {
    if ((text.charCodeAt(index) & 0xfc00) === 0xd800 && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      count--;
      index++;
    }
  }
  return count;
}

import type { CertificateId } from './certificate-id.ts';

/*
 * The short code printed on a certificate beside its id, for a person to read aloud, type or
 * compare with the verification page: eight Crockford base-32 symbols from the random end of the
 * certificate's UUIDv7 and one check symbol (ISO 7064 mod 37, Crockford's), as `7K3M-Q9TX-4`.
 * The check symbol catches any single wrong symbol and any swap of two neighbours before a lookup.
 * The code is derived from the id, so it needs no storage of its own and cannot disagree with it;
 * it is not an identifier on its own (40 bits may repeat across millions of certificates): the id is.
 */

const SYMBOLS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Crockford's five extra check symbols, for check values 32 to 36. */
const CHECK_SYMBOLS = `${SYMBOLS}*~$=U`;
const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z*~$=U]$/;

/** The code of a certificate, from its id. */
export function certificateCodeOf(id: CertificateId): string {
  // The last ten hex digits of a UUIDv7 are random (the sequence counter sits before them).
  let bits = BigInt(`0x${id.replaceAll('-', '').slice(-10)}`);
  const symbols: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    symbols.unshift(SYMBOLS[Number(bits & 31n)]!);
    bits >>= 5n;
  }
  const body = symbols.join('');
  return `${body.slice(0, 4)}-${body.slice(4)}-${checkSymbolOf(body)}`;
}

/** Whether `code` is written as a certificate code and its check symbol agrees: worth looking up. */
export function isWellFormedCertificateCode(code: string): boolean {
  const upper = code.trim().toUpperCase();
  if (!CODE_PATTERN.test(upper)) return false;
  const body = upper.slice(0, 4) + upper.slice(5, 9);
  return checkSymbolOf(body) === upper.slice(10);
}

function checkSymbolOf(body: string): string {
  let value = 0n;
  for (const symbol of body) value = value * 32n + BigInt(SYMBOLS.indexOf(symbol));
  return CHECK_SYMBOLS[Number(value % 37n)]!;
}

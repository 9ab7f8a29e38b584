import { createHash, timingSafeEqual } from 'node:crypto';

/** Hashing both sides first makes the comparison constant-time whatever the lengths. */
export function adminTokenMatches(authorization: string | undefined, expected: string): boolean {
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(authorization.slice('Bearer '.length)).digest();
  const wanted = createHash('sha256').update(expected).digest();
  return timingSafeEqual(given, wanted);
}

/**
 * Shortens a TTL by a random share of at most `fraction`, so the keys a burst of traffic filled
 * together expire spread out instead of all missing in the same instant. Shortening (never
 * lengthening) keeps the caller's TTL an upper bound on staleness.
 */
export function jitteredTtl(ttlMs: number, fraction: number, random: () => number = Math.random): number {
  return Math.max(1, Math.round(ttlMs - ttlMs * fraction * random()));
}

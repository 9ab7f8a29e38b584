/**
 * The one scheme of RFC 9457 problem `type` URIs across Strata's HTTP edge: the gateway's own
 * refusals and every application service's errors. A client switches on the slug after the base,
 * whichever hop answered.
 */
export const PROBLEM_TYPE_BASE = 'https://strata.dev/problems/';

/**
 * `problemType('no-route')` → `https://strata.dev/problems/no-route`. The slug is made kebab-case
 * (`RATE_LIMITED` → `rate-limited`), so any rule code or framework code yields a valid URI: an
 * error answer must never itself fail.
 */
export function problemType(slug: string): string {
  const kebab = slug
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${PROBLEM_TYPE_BASE}${kebab || 'about-blank'}`;
}

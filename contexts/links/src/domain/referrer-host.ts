/** The longest host name DNS allows. */
export const MAX_REFERRER_HOST_LENGTH = 253;

/**
 * What a kept host is made of: a DNS name (lower case; an international one in its `xn--` form),
 * an IPv4 address, or an IPv6 one in brackets, as the URL parser writes them. The parser also
 * lets through names no DNS resolves (`a_b`, `a!b`, `a"b`, `a{b}`); those are kept as no referrer,
 * since LinkVisited refuses them and one such visit would take its whole message of visits to
 * the dead letters with it.
 */
export const REFERRER_HOST_PATTERN = /^[a-z0-9.\-[\]:]+$/;

/**
 * What a visit keeps of the page it came from: the host alone. A referrer's path and query can
 * carry a visitor's search terms, tokens or e-mail address; the host is enough for "where do my
 * visits come from". Null when there was none, it was not an http(s) address, or its host is not
 * one REFERRER_HOST_PATTERN describes.
 */
export function referrerHostOf(referrer: string | null | undefined): string | null {
  if (!referrer) return null;
  let url: URL;
  try {
    url = new URL(referrer);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/\.$/, '');
  return host.length > MAX_REFERRER_HOST_LENGTH || !REFERRER_HOST_PATTERN.test(host) ? null : host;
}

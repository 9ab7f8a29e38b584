/** The longest host name DNS allows. */
export const MAX_REFERRER_HOST_LENGTH = 253;

/**
 * What a visit keeps of the page it came from: the host alone. A referrer's path and query can
 * carry a visitor's search terms, tokens or e-mail address; the host is enough for "where do my
 * visits come from". Null when there was none, or it was not an http(s) address.
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
  return host === '' || host.length > MAX_REFERRER_HOST_LENGTH ? null : host;
}

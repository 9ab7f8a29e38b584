export type PathCheck =
  | { readonly ok: true; readonly path: string; readonly query: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Refuses request targets that could climb out of a route's prefix or be read differently by
 * the upstream: dot segments (plain or percent-encoded), empty segments, encoded slashes and
 * backslashes, control characters. Such a request is never forwarded.
 */
export function checkRequestTarget(target: string): PathCheck {
  if (!target.startsWith('/')) return { ok: false, reason: 'the request target must be an absolute path' };
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt);
  if (rawPath.includes('//')) return { ok: false, reason: 'the path contains an empty segment ("//")' };
  if (rawPath.includes('\\')) return { ok: false, reason: 'the path contains a backslash' };
  if (/%(2f|5c|00)/i.test(rawPath))
    return { ok: false, reason: 'the path contains an encoded "/", "\\" or NUL' };
  // The common case: nothing encoded and no dot, so there is no segment to decode into "..".
  if (!rawPath.includes('%') && !rawPath.includes('.')) {
    if (/[\u0000-\u001f\u007f]/.test(rawPath))
      return { ok: false, reason: 'the path contains a control character' };
    return { ok: true, path: rawPath, query };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, reason: 'the path has a malformed percent-encoding' };
  }
  // Decoding twice catches %252e%252e, which a second decoder downstream would turn into "..".
  let twice = decoded;
  try {
    twice = decodeURIComponent(decoded);
  } catch {
    // A literal "%" after one decode is fine; only a dot segment matters here.
  }
  for (const candidate of [decoded, twice]) {
    if (candidate.split('/').some((segment) => segment === '.' || segment === '..')) {
      return { ok: false, reason: 'the path contains a "." or ".." segment' };
    }
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded))
    return { ok: false, reason: 'the path contains a control character' };
  return { ok: true, path: rawPath, query };
}

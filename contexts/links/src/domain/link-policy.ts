/**
 * What a deployment decides about its links and the domain must know: the host short links are
 * served on. It is passed in, never written in the code, so a staging deployment on its own
 * domain refuses links to itself just as production does.
 */
export interface LinkPolicy {
  /** A lowercase ASCII host name without a trailing dot, e.g. `strata.link`. */
  readonly shortDomain: string;
}

/**
 * Builds the policy from configuration, putting the host in the form the URL parser gives a
 * target's host (lowercase, punycode), so the two compare as equal strings. A value that is not
 * a bare host name is a configuration mistake and stops the service at start, not at a request.
 */
export function linkPolicy(config: { readonly shortDomain: string }): LinkPolicy {
  const raw = config.shortDomain.trim();
  let host: string | null = null;
  if (/^[^/:?#@\s]+$/.test(raw)) {
    try {
      host = new URL(`http://${raw}/`).hostname;
    } catch {
      host = null;
    }
  }
  if (host === null || host === '') {
    throw new TypeError(
      `the short domain must be a bare host name such as "strata.link"; got ${JSON.stringify(config.shortDomain)}`,
    );
  }
  return Object.freeze({ shortDomain: host.replace(/\.$/, '') });
}

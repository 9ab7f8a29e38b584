import type { BusinessRule } from '@strata/shared-kernel';

// The rules a short link's target keeps, each named with a stable code. They judge the URL as the
// WHATWG URL parser reads it, the parser browsers use, so what is checked is what a browser
// follows: `JaVaScRiPt:`, a tab inside the scheme or a percent-encoded host cannot slip past.

/** What every browser and proxy on the way handles; longer targets are tracking payloads or abuse. */
export const MAX_TARGET_URL_LENGTH = 2_048;

/** The only schemes a redirect may send a browser to: no `javascript:`, `data:`, `file:`, `blob:`… */
export const TARGET_URL_SCHEMES: readonly string[] = ['http:', 'https:'];

/** `url` is the text as given, or as the parser wrote it back (which may be longer: punycode, escapes). */
export function targetUrlCannotExceedMaxLength(url: string): BusinessRule {
  return {
    code: 'target-url-cannot-exceed-max-length',
    message: `a target URL has at most ${MAX_TARGET_URL_LENGTH} characters; got ${url.length}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'targetUrl', length: url.length, maxLength: MAX_TARGET_URL_LENGTH },
    isBroken: () => url.length > MAX_TARGET_URL_LENGTH,
  };
}

/** `parsed` is null when the parser could not read the text as an absolute URL. */
export function targetUrlMustBeAnAbsoluteUrl(parsed: URL | null): BusinessRule {
  return {
    code: 'target-url-must-be-an-absolute-url',
    message: 'a target URL is a full address with its scheme, such as https://example.org/page',
    category: 'INVALID_ARGUMENT',
    details: { field: 'targetUrl' },
    isBroken: () => parsed === null,
  };
}

/** A redirect to `javascript:` or `data:` runs the attacker's code under a link people trust. */
export function targetUrlMustUseHttpOrHttps(url: URL): BusinessRule {
  return {
    code: 'target-url-must-use-http-or-https',
    message: `a target URL starts with http:// or https://; got the scheme "${url.protocol}"`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'targetUrl', scheme: url.protocol.replace(/:$/, '') },
    isBroken: () => !TARGET_URL_SCHEMES.includes(url.protocol),
  };
}

/** `https://trusted.example@evil.example/` shows a trusted name and goes elsewhere. */
export function targetUrlCannotCarryCredentials(url: URL): BusinessRule {
  return {
    code: 'target-url-cannot-carry-credentials',
    message: 'a target URL carries no user name or password before its host',
    category: 'INVALID_ARGUMENT',
    details: { field: 'targetUrl' },
    isBroken: () => url.username !== '' || url.password !== '',
  };
}

/**
 * A short link to the short domain (or one of its subdomains) hides another short link: chains
 * that loop, and a way around a disabled link's 410. `shortDomain` is the deployment's policy.
 */
export function targetUrlCannotPointAtTheShortDomain(url: URL, shortDomain: string): BusinessRule {
  const host = url.hostname.replace(/\.$/, '');
  return {
    code: 'target-url-cannot-point-at-the-short-domain',
    message: `a target URL cannot lead back to ${shortDomain}, where short links are served`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'targetUrl', host, shortDomain },
    isBroken: () => host === shortDomain || host.endsWith(`.${shortDomain}`),
  };
}

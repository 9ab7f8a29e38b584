/** A URL known at start, or only once the process around the app is listening (`npm start`, port 0). */
export type LateUrl = string | (() => string);

const resolved = (url: LateUrl): string => (typeof url === 'string' ? url : url()).replace(/\/+$/, '');

/**
 * Where the pages a learner shares are, and where short links are served. A course is shared as its
 * public page as the gateway serves it (`<public API>/api/learner/courses/<id>`), a certificate as
 * its public check (`<public API>/api/learner/certificates/<id>`), neither needing a login; a short
 * link is shown as `<short domain>/<slug>`. Both bases are the deployment's (STRATA_PUBLIC_API_URL,
 * STRATA_SHORT_LINK_URL), never taken from a request's headers.
 */
export class ShareAddresses {
  readonly #publicApi: LateUrl;
  readonly #shortLinks: LateUrl;

  constructor(options: { publicApiUrl: LateUrl; shortLinkUrl: LateUrl }) {
    this.#publicApi = options.publicApiUrl;
    this.#shortLinks = options.shortLinkUrl;
  }

  coursePage(courseId: string): string {
    return new URL(`${resolved(this.#publicApi)}/api/learner/courses/${courseId}`).href;
  }

  certificatePage(certificateId: string): string {
    return new URL(`${resolved(this.#publicApi)}/api/learner/certificates/${certificateId}`).href;
  }

  shortUrl(slug: string): string {
    return `${resolved(this.#shortLinks)}/${slug}`;
  }
}

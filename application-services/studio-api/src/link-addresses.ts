import { RpcError } from '@strata/shared-kernel';

/** A URL known at start, or only once the process around the app is listening (`npm start`, port 0). */
export type LateUrl = string | (() => string);

const resolved = (url: LateUrl): string => (typeof url === 'string' ? url : url()).replace(/\/+$/, '');

const COURSE_PAGE = /^\/api\/learner\/courses\/([0-9a-f-]{36})$/;

/**
 * Where the platform's public pages are and where short links are served. A campaign link leads to
 * the course's public page as the gateway serves it (`<public API>/api/learner/courses/<id>`, no
 * login needed); a short link is shown as `<short domain>/<slug>`. Both are the deployment's, from
 * configuration (STRATA_PUBLIC_API_URL, STRATA_SHORT_LINK_URL), never from a request's headers.
 */
export class LinkAddresses {
  readonly #publicApi: LateUrl;
  readonly #shortLinks: LateUrl;

  constructor(options: { publicApiUrl: LateUrl; shortLinkUrl: LateUrl }) {
    this.#publicApi = options.publicApiUrl;
    this.#shortLinks = options.shortLinkUrl;
  }

  coursePage(courseId: string): string {
    return new URL(`${resolved(this.#publicApi)}/api/learner/courses/${courseId}`).href;
  }

  /** The course a target is the page of, or null (a link made elsewhere, to something else). */
  courseOf(targetUrl: string): string | null {
    const base = new URL(resolved(this.#publicApi));
    const target = new URL(targetUrl);
    if (target.origin !== base.origin) return null;
    return COURSE_PAGE.exec(target.pathname.slice(base.pathname.replace(/\/$/, '').length))?.[1] ?? null;
  }

  shortUrl(slug: string): string {
    return `${resolved(this.#shortLinks)}/${slug}`;
  }
}

/** An RPC refusal pointed at a body field, as pointAtBodyField expects it (`details.field`). */
export function refusalAt(
  field: string,
  code: 'NOT_FOUND' | 'PERMISSION_DENIED',
  reason: string,
  message: string,
): RpcError {
  return new RpcError(code, message, { reason, details: { field } });
}

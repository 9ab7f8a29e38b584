/**
 * The app's routes as Fastify registers them (method and URL pattern), so a request for a known
 * path with a method no route serves is answered 405 with `Allow`, not a 404 that would say the
 * resource does not exist.
 */
export class RouteMethods {
  readonly #routes: { pattern: RegExp; method: string }[] = [];

  /** Takes Fastify's `onRoute` options: `url` like `/courses/:courseId/lessons`. */
  add(method: string | readonly string[], url: string): void {
    const pattern = new RegExp(
      `^${url
        .split('/')
        .map((segment) => {
          if (segment.startsWith(':')) return '[^/]+';
          if (segment === '*') return '.*';
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/')}$`,
    );
    for (const one of typeof method === 'string' ? [method] : method) {
      this.#routes.push({ pattern, method: one.toUpperCase() });
    }
  }

  /** The methods some route serves on this path (no query string), sorted; empty when none does. */
  allowedOn(path: string): string[] {
    const methods = new Set(
      this.#routes.filter((route) => route.pattern.test(path)).map((route) => route.method),
    );
    return [...methods].sort();
  }
}

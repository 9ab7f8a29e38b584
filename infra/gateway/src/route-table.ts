import type { Route, RouteFile } from './route-file.ts';

/** Longest-prefix match on whole path segments: `/api/learner` serves `/api/learner/x`, never `/api/learnerx`. */
export class RouteTable {
  readonly file: RouteFile;
  readonly #byLength: readonly Route[];

  constructor(file: RouteFile) {
    this.file = file;
    this.#byLength = [...file.routes].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  match(path: string): Route | undefined {
    for (const route of this.#byLength) {
      if (route.prefix === '/') return route;
      if (path === route.prefix || (path.startsWith(route.prefix) && path[route.prefix.length] === '/'))
        return route;
    }
    return undefined;
  }

  services(): Set<string> {
    return new Set(this.file.routes.map((route) => route.service));
  }
}

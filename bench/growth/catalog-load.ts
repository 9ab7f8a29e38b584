// The catalog's list and search requests against learner-api's `GET /courses` (the route the
// gateway's public `catalog` route forwards to): each kind of request draws its path at random per
// request, so every request of a row asks for a different page or text.
import { encodeCursor } from '@strata/persistence';
import { courseTitle } from '../read/course-rows.ts';

export interface Latency {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

export interface CatalogRow {
  readonly id: string;
  readonly label: string;
  /** Draws the next request's path under learner-api. */
  paths(published: readonly string[], size: number): () => string;
}

const PAGE = 20;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
// Words of bench/read/course-rows.ts's titles: each is in about a tenth of the courses.
const COMMON = ['kafka', 'design', 'testing', 'linux', 'music', 'finance', 'python', 'caching'];

export const CATALOG_ROWS: CatalogRow[] = [
  {
    id: 'list-first',
    label: 'list: first page',
    paths: () => () => `/courses?limit=${PAGE}`,
  },
  {
    id: 'list-deep',
    label: 'list: a page at a random depth (keyset cursor)',
    // A fresh depth per request, so neither the warm-up nor an earlier request has read its pages:
    // 500 fixed depths (until 2026-12-07) read a third as many pages from disk at 1M (bench/README.md,
    // "Issue 21: the catalog at 1M on a quiet machine").
    paths: (published) => () => `/courses?limit=${PAGE}&cursor=${encodeCursor(pick(published))}`,
  },
  {
    id: 'search-word',
    label: 'search: a common word, first page',
    paths: () => () => `/courses?limit=${PAGE}&text=${pick(COMMON)}`,
  },
  {
    id: 'search-title',
    label: "search: one course's exact title (one match)",
    // Course n's title ends in its number, so the whole title matches that course alone.
    paths: (_published, size) => () =>
      `/courses?limit=${PAGE}&text=${encodeURIComponent(courseTitle(Math.floor(Math.random() * size)))}`,
  },
];

/**
 * A closed loop of `connections` concurrent requests, each to a path `next` draws, until both
 * `seconds` have passed and `minRequests` have finished: a search that scans the table still gets
 * enough samples for its p50 and p99 (nearest rank), however slow each one is. Any answer but 200
 * fails the row.
 */
export async function closedLoop(
  url: string,
  next: () => string,
  seconds: number,
  connections: number,
  minRequests: number,
): Promise<Latency> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end || latencies.length < minRequests) {
        const path = next();
        const sent = performance.now();
        const response = await fetch(url + path);
        const body = await response.text();
        if (response.status !== 200)
          throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rank = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: rank(0.5), p99: rank(0.99) };
}

import {
  NO_REFERRER,
  OTHER_REFERRER_HOSTS,
  type HourlyLinkVisits,
  type LinkVisited,
  type LinkVisitStats,
  type UserAgentFamily,
} from '@strata/links';
import type { LinkVisitHourRecord } from './link-visit-hour-record.ts';
import { VisitorSketch } from './visitor-sketch.ts';

/**
 * Distinct referrer hosts an hour's row keeps by name; the rest count under `(other)`. A row stays
 * small however many sites link to a campaign, and the owner sees where most visits came from.
 */
export const MAX_REFERRER_HOSTS_PER_HOUR = 20;

/** The start of the visit's hour, UTC, as an ISO string. */
export function hourOf(visitedAt: string): string {
  const at = new Date(visitedAt);
  at.setUTCMinutes(0, 0, 0);
  return at.toISOString();
}

export const rollupIdOf = (linkId: string, hour: string): string => `${linkId}/${hour}`;

/** JSON with keys sorted: the same counts always make the same text (rebuilt rows compare equal). */
function countsText(counts: Record<string, number>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1))));
}

const countsOf = (text: string | null | undefined): Record<string, number> =>
  text ? (JSON.parse(text) as Record<string, number>) : {};

/**
 * Folds one visit into its link's row for its hour (null: no row yet). The caller makes sure each
 * visit is folded once (the inbox live, a set of visit ids on a replay): this adds, it does not
 * deduplicate. A link's visits arrive in one order (its partition), so live and replayed rows agree,
 * `(other)` included.
 */
export function foldVisit(row: LinkVisitHourRecord | null, visit: LinkVisited): LinkVisitHourRecord {
  const hour = hourOf(visit.visitedAt);
  const next: LinkVisitHourRecord = row ?? {
    id: rollupIdOf(visit.linkId, hour),
    linkId: visit.linkId,
    hour,
    visits: 0,
    botVisits: 0,
    visitorSketch: VisitorSketch.empty().toBase64(),
    referrerHosts: '{}',
    browserFamilies: '{}',
  };
  if (visit.bot) return { ...next, botVisits: next.botVisits + 1 };
  const sketch = VisitorSketch.fromBase64(next.visitorSketch);
  sketch.add(visit.visitorHash);
  const referrers = countsOf(next.referrerHosts);
  const named = Object.keys(referrers).filter((host) => host !== OTHER_REFERRER_HOSTS).length;
  const host = visit.referrerHost ?? NO_REFERRER;
  const counted = host in referrers || named < MAX_REFERRER_HOSTS_PER_HOUR ? host : OTHER_REFERRER_HOSTS;
  referrers[counted] = (referrers[counted] ?? 0) + 1;
  const browsers = countsOf(next.browserFamilies);
  browsers[visit.userAgentFamily] = (browsers[visit.userAgentFamily] ?? 0) + 1;
  return {
    ...next,
    visits: next.visits + 1,
    visitorSketch: sketch.toBase64(),
    referrerHosts: countsText(referrers),
    browserFamilies: countsText(browsers),
  };
}

const mostFirst = (counts: Record<string, number>): [string, number][] =>
  Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));

/** A row as the contract shows it. */
export function hourlyVisitsOf(row: LinkVisitHourRecord): HourlyLinkVisits {
  return {
    hour: row.hour,
    visits: row.visits,
    botVisits: row.botVisits,
    uniqueVisitors: VisitorSketch.fromBase64(row.visitorSketch).estimate(),
    referrerHosts: mostFirst(countsOf(row.referrerHosts)).map(([host, visits]) => ({ host, visits })),
    browserFamilies: mostFirst(countsOf(row.browserFamilies)).map(([family, visits]) => ({
      family: family as UserAgentFamily,
      visits,
    })),
  };
}

/** One link's statistics over its rows (oldest first): unique visitors from the merged sketches. */
export function linkVisitStatsOf(linkId: string, rows: readonly LinkVisitHourRecord[]): LinkVisitStats {
  const span = VisitorSketch.empty();
  for (const row of rows) span.merge(VisitorSketch.fromBase64(row.visitorSketch));
  return {
    linkId,
    visits: rows.reduce((sum, row) => sum + row.visits, 0),
    botVisits: rows.reduce((sum, row) => sum + row.botVisits, 0),
    uniqueVisitors: span.estimate(),
    hours: rows.map(hourlyVisitsOf),
  };
}

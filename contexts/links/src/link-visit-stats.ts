import { z } from '@strata/shared-kernel';
import { USER_AGENT_FAMILIES } from './link-visited.ts';

/*
 * What an owner sees of their links' visits: one rollup per link per hour, built from LinkVisited
 * by engagement-service's consumer (a visit reported twice counts once). People and programs are
 * counted apart: `visits`, the unique visitors, the referrer hosts and the browser families are
 * people's; `botVisits` are link previews, crawlers and scripts. Unique visitors are an estimate
 * (a HyperLogLog sketch of the visitor fingerprints, a few per cent off at most), and so is the
 * total over several hours, merged from the hours' sketches rather than added up.
 */

/** The host a rollup keeps for referrers beyond the most frequent ones of an hour. */
export const OTHER_REFERRER_HOSTS = '(other)';
/** The host a rollup keeps for visits whose browser named no referrer. */
export const NO_REFERRER = '(none)';

const count = z.number().int().min(0);

export const HourlyLinkVisits = z.object({
  /** The hour's start, UTC (minutes, seconds and milliseconds zero). */
  hour: z.iso.datetime(),
  visits: count,
  botVisits: count,
  uniqueVisitors: count,
  /** People's visits by referrer host, most first. */
  referrerHosts: z.array(z.object({ host: z.string().min(1).max(253), visits: count })),
  /** People's visits by browser family, most first. */
  browserFamilies: z.array(z.object({ family: z.enum(USER_AGENT_FAMILIES), visits: count })),
});
export type HourlyLinkVisits = z.output<typeof HourlyLinkVisits>;

export const LinkVisitStats = z.object({
  linkId: z.uuid(),
  /** Over the hours answered (since the asked moment, or every hour). */
  visits: count,
  botVisits: count,
  uniqueVisitors: count,
  /** Hours with at least one visit, oldest first. */
  hours: z.array(HourlyLinkVisits),
});
export type LinkVisitStats = z.output<typeof LinkVisitStats>;

/** Links whose statistics one call answers at most: a page of an owner's list. */
export const MAX_LINKS_PER_STATS_REQUEST = 100;

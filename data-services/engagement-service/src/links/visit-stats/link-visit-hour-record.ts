import { EntitySchema } from '@mikro-orm/core';

/**
 * One link's visits in one hour (UTC), as `link_visit_hours` holds them: the rollup LinkVisited
 * feeds (visit-rollup.ts). People's visits, their referrer hosts and browser families, and the
 * sketch of their fingerprints; bots' visits apart. The breakdowns are JSON text written with
 * sorted keys, so a rebuilt row compares equal to the live one character for character.
 */
export interface LinkVisitHourRecord {
  /** `<linkId>/<hour>`: one row per link and hour, written by one consumer at a time (the link's partition). */
  id: string;
  linkId: string;
  /** The hour's start as an ISO-8601 UTC string; ISO strings order as the moments do. */
  hour: string;
  visits: number;
  botVisits: number;
  /** VisitorSketch, base64. */
  visitorSketch: string;
  /** `{ host: visits }`, JSON. */
  referrerHosts: string;
  /** `{ family: visits }`, JSON. */
  browserFamilies: string;
}

export const linkVisitHourRecordSchema = new EntitySchema<LinkVisitHourRecord>({
  name: 'LinkVisitHourRecord',
  tableName: 'link_visit_hours',
  properties: {
    id: { type: 'string', primary: true, length: 61 },
    linkId: { type: 'string', length: 36 },
    hour: { type: 'string', length: 24 },
    visits: { type: 'integer' },
    botVisits: { type: 'integer' },
    visitorSketch: { type: 'text' },
    referrerHosts: { type: 'text' },
    browserFamilies: { type: 'text' },
  },
  indexes: [{ name: 'link_visit_hours_link_id_hour', properties: ['linkId', 'hour'] }],
});

import type { SqlEntityManager } from '@mikro-orm/sql';
import type { LinkVisitStats } from '@strata/links';
import { linkVisitHourRecordSchema, type LinkVisitHourRecord } from './link-visit-hour-record.ts';
import { hourOf, linkVisitStatsOf } from './visit-rollup.ts';

/** The rollup's read side: rows of the asked links (from the hour of `since`), one answer per link. */
export async function visitStatsOf(
  session: SqlEntityManager,
  linkIds: readonly string[],
  since: string | undefined,
): Promise<LinkVisitStats[]> {
  const rows = await session.find(
    linkVisitHourRecordSchema,
    since === undefined
      ? { linkId: { $in: [...linkIds] } }
      : { linkId: { $in: [...linkIds] }, hour: { $gte: hourOf(since) } },
    { orderBy: { linkId: 'asc', hour: 'asc' } },
  );
  const byLink = new Map<string, LinkVisitHourRecord[]>();
  for (const row of rows) {
    const list = byLink.get(row.linkId) ?? [];
    list.push(row);
    byLink.set(row.linkId, list);
  }
  return linkIds.map((linkId) => linkVisitStatsOf(linkId, byLink.get(linkId) ?? []));
}

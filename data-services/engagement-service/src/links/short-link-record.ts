import {
  ShortLink,
  Slug,
  TargetUrl,
  type ShortLinkId,
  type ShortLinkStatus,
  type SlugKind,
} from '@strata/links';
import { aggregateMapping, recordSchema } from '@strata/persistence';

/** The unique index on the folded slug: what finally decides between two links asking for one slug. */
export const SHORT_LINKS_SLUG_INDEX = 'short_links_slug_unique';

/** A short link as the `short_links` table holds it: the row MikroORM loads and flushes. */
export interface ShortLinkRecord {
  id: string;
  version: number;
  slug: string;
  slugKind: SlugKind;
  targetUrl: string;
  ownerId: string;
  status: ShortLinkStatus;
  expiresAt: Date | null;
  maxVisits: number | null;
  createdAt: Date;
  disabledBy: string | null;
  disabledAt: Date | null;
  expiredAt: Date | null;
}

/**
 * The slug is stored folded to lower case (the domain's Slug) under a unique index, so "is it
 * taken" is one index lookup and a race of two creations ends in one refusal at commit. The
 * (owner_id, id) index serves an owner's list newest first (ids are time-ordered UUIDv7); the
 * (status, expires_at) index serves the expiry sweep.
 */
export const shortLinkRecordSchema = recordSchema<ShortLinkRecord>({
  name: 'ShortLinkRecord',
  tableName: 'short_links',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    slug: { type: 'string', length: 40, unique: SHORT_LINKS_SLUG_INDEX },
    slugKind: { type: 'string', length: 16 },
    targetUrl: { type: 'string', length: 2048 },
    ownerId: { type: 'string', length: 36 },
    status: { type: 'string', length: 16 },
    expiresAt: { type: 'datetime', nullable: true },
    maxVisits: { type: 'integer', nullable: true },
    createdAt: { type: 'datetime' },
    disabledBy: { type: 'string', length: 36, nullable: true },
    disabledAt: { type: 'datetime', nullable: true },
    expiredAt: { type: 'datetime', nullable: true },
  },
  indexes: [
    { name: 'short_links_owner_id', properties: ['ownerId', 'id'] },
    { name: 'short_links_status_expires_at', properties: ['status', 'expiresAt'] },
  ],
});

export function toShortLink(record: ShortLinkRecord): ShortLink {
  return ShortLink.restore({
    id: record.id as ShortLinkId,
    version: record.version,
    slug: Slug.restore(record.slug),
    slugKind: record.slugKind,
    targetUrl: TargetUrl.restore(record.targetUrl),
    ownerId: record.ownerId,
    status: record.status,
    expiresAt: record.expiresAt,
    maxVisits: record.maxVisits,
    createdAt: record.createdAt,
    disabledBy: record.disabledBy,
    disabledAt: record.disabledAt,
    expiredAt: record.expiredAt,
  });
}

export function toShortLinkRecord(link: ShortLink): ShortLinkRecord {
  const snapshot = link.toSnapshot();
  return {
    ...snapshot,
    slug: snapshot.slug.value,
    targetUrl: snapshot.targetUrl.value,
  };
}

/** What the unit of work needs to load and save short links. */
export const shortLinkStorage = aggregateMapping({
  schema: shortLinkRecordSchema,
  toAggregate: toShortLink,
  toRecord: toShortLinkRecord,
});

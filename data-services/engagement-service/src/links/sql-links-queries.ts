import type { SqlEntityManager } from '@mikro-orm/sql';
import { toShortLinkView, type LinksQueries, type OwnerLinksQuery } from '@strata/links';
import type { ShortLinkView } from '@strata/links/contract';
import type { Page } from '@strata/shared-kernel';
import { decodeCursor, encodeCursor } from '@strata/persistence';
import { shortLinkRecordSchema, toShortLink } from './short-link-record.ts';

/**
 * The links context's queries on MikroORM, through the running unit of work's session so a
 * question asked inside a call (is this slug taken) sees its transaction. Filters are bound
 * parameters.
 */
export class SqlLinksQueries implements LinksQueries {
  readonly #session: () => SqlEntityManager;

  constructor(session: () => SqlEntityManager) {
    this.#session = session;
  }

  /** Newest first: ids are time-ordered (UUIDv7), so the (owner_id, id) index serves it backwards. */
  async linksOfOwner(query: OwnerLinksQuery): Promise<Page<ShortLinkView>> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const records = await this.#session().find(
      shortLinkRecordSchema,
      {
        ownerId: query.ownerId,
        ...(before === undefined ? {} : { id: { $lt: before } }),
        ...(query.targetUrl === undefined ? {} : { targetUrl: query.targetUrl }),
      },
      { orderBy: { id: 'desc' }, limit: query.limit + 1 },
    );
    const items = records.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((record) => toShortLinkView(toShortLink(record))),
      nextCursor: records.length > query.limit && last !== undefined ? encodeCursor(last.id) : null,
    };
  }

  async linkWithSlug(slugKey: string): Promise<ShortLinkView | null> {
    const record = await this.#session().findOne(shortLinkRecordSchema, { slug: slugKey });
    return record === null ? null : toShortLinkView(toShortLink(record));
  }

  /** The owners of these links, by id (unknown ids are absent). */
  async ownersOf(linkIds: readonly string[]): Promise<Map<string, string>> {
    const records = await this.#session().find(
      shortLinkRecordSchema,
      { id: { $in: [...linkIds] } },
      { fields: ['id', 'ownerId'] },
    );
    return new Map(records.map((record) => [record.id, record.ownerId]));
  }

  /** Advisory, as the unique index settles races; spares the common case a failed insert. */
  async isSlugTaken(slugKey: string): Promise<boolean> {
    return (await this.#session().count(shortLinkRecordSchema, { slug: slugKey })) > 0;
  }

  /** Active links whose expiry has passed, oldest expiry first: what the expiry sweep records. */
  async linksPastExpiry(now: Date, limit: number): Promise<string[]> {
    const records = await this.#session().find(
      shortLinkRecordSchema,
      { status: { $in: ['active', 'disabled'] }, expiresAt: { $ne: null, $lte: now } },
      { orderBy: { expiresAt: 'asc' }, limit, fields: ['id'] },
    );
    return records.map((record) => record.id);
  }
}

import { z } from 'zod';

/** One page of a finder's results. `nextCursor` is opaque to callers and null on the last page. */
export interface Page<TItem> {
  items: TItem[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

/** What every finder takes besides its own filters. */
export const pagingInput = {
  cursor: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
};

export interface PagingInput {
  cursor?: string;
  limit?: number;
}

export function pageOf<TItem extends z.ZodType>(item: TItem) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

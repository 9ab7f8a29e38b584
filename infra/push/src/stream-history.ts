import type { StreamItem, StreamMark } from './stream-mark.ts';

/** What storage answers about the items after a client's mark. */
export interface StreamCatchUp<TItem extends StreamItem> {
  /** The stream's epoch now (null: it has no items yet). */
  readonly epoch: string | null;
  /** After the mark, oldest first; at most the limit asked, so a client far behind asks again. */
  readonly items: readonly TItem[];
  /** False when the gap cannot be filled: another epoch, a mark ahead of the stream, or pruned items. */
  readonly recovered: boolean;
  readonly latestPosition: number;
}

/**
 * Where the hub reads what a connection missed: the durable store behind the live path. `caller`
 * is whoever the connection was authenticated as, passed through untouched, so the store can check
 * the reader may read the stream.
 */
export interface StreamHistory<TItem extends StreamItem, TCaller> {
  /** Where the stream stands now. */
  head(stream: string, caller: TCaller): Promise<StreamMark>;
  /** What came after `from`; `from.epoch` is never null here. */
  since(
    stream: string,
    caller: TCaller,
    from: { epoch: string; position: number },
    limit: number,
  ): Promise<StreamCatchUp<TItem>>;
}

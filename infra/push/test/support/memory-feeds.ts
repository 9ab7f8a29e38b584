import { newId, z } from '@strata/shared-kernel';
import type { StreamCatchUp, StreamHistory, StreamMark } from '../../src/index.ts';

/** A test stream's item: what a notification is to learner-api. */
export const Item = z.object({
  stream: z.string(),
  epoch: z.string(),
  position: z.number().int(),
  text: z.string(),
});
export type Item = z.output<typeof Item>;

/**
 * Storage for the hub's tests: an in-memory feed per stream with positions, an epoch and pruning
 * (what the notification context does in MariaDB, covered in learner-api's push test).
 */
export class MemoryFeeds implements StreamHistory<Item, string> {
  readonly epoch = newId();
  readonly #feeds = new Map<string, { items: Item[]; prunedUpTo: number }>();

  append(stream: string, text: string): Item {
    const feed = this.#feeds.get(stream) ?? { items: [], prunedUpTo: 0 };
    this.#feeds.set(stream, feed);
    const item = { stream, epoch: this.epoch, position: feed.items.length + feed.prunedUpTo + 1, text };
    feed.items.push(item);
    return item;
  }

  prune(stream: string, upTo: number): void {
    const feed = this.#feeds.get(stream)!;
    feed.items = feed.items.filter((item) => item.position > upTo);
    feed.prunedUpTo = upTo;
  }

  async head(stream: string): Promise<StreamMark> {
    const feed = this.#feeds.get(stream);
    if (feed === undefined) return { epoch: null, position: 0 };
    return { epoch: this.epoch, position: feed.prunedUpTo + feed.items.length };
  }

  async since(
    stream: string,
    _caller: string,
    from: { epoch: string; position: number },
    limit: number,
  ): Promise<StreamCatchUp<Item>> {
    const { epoch, position: latestPosition } = await this.head(stream);
    const feed = this.#feeds.get(stream);
    const prunedUpTo = feed?.prunedUpTo ?? 0;
    if (from.epoch !== epoch || from.position > latestPosition || from.position < prunedUpTo)
      return { epoch, items: [], recovered: false, latestPosition };
    const items = (feed?.items ?? []).filter((item) => item.position > from.position).slice(0, limit);
    return { epoch, items, recovered: true, latestPosition };
  }
}

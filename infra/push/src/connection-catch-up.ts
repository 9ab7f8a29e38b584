import type { PushCounters } from './push-counters.ts';
import { placeOf, type PushConnection } from './push-connection.ts';
import { Delivery } from './push-transport.ts';
import type { StreamHistory } from './stream-history.ts';
import type { StreamItem } from './stream-mark.ts';

/** Storage and live messages disagreeing this many times in a row means something is wrong: cut. */
const MAX_CATCH_UP_ROUNDS = 8;

export interface ConnectionCatchUpOptions<TItem extends StreamItem, TCaller> {
  history: StreamHistory<TItem, TCaller>;
  /** Items asked of storage at a time. */
  catchUpLimit: number;
  counters: PushCounters;
  /** The hub's write: false when the connection was cut instead (its peer is too far behind). */
  write: (connection: PushConnection<TCaller>, delivery: Delivery) => boolean;
}

/**
 * Brings a connection from its mark up to the live stream: storage first, then the live items
 * held in its `pending` meanwhile, de-duplicated by position.
 */
export class ConnectionCatchUp<TItem extends StreamItem, TCaller> {
  readonly #counters: PushCounters;
  readonly #history: StreamHistory<TItem, TCaller>;
  readonly #catchUpLimit: number;
  readonly #write: (connection: PushConnection<TCaller>, delivery: Delivery) => boolean;

  constructor(options: ConnectionCatchUpOptions<TItem, TCaller>) {
    this.#counters = options.counters;
    this.#history = options.history;
    this.#catchUpLimit = options.catchUpLimit;
    this.#write = options.write;
  }

  /**
   * Reads from storage what the connection lacks, then what arrived live meanwhile, until both
   * agree; the connection is live again afterwards. `ready` goes out when a connection first goes
   * live, and whenever a gap could not be filled.
   */
  async run(
    connection: PushConnection<TCaller>,
    { initial, readStorage }: { initial: boolean; readStorage: boolean },
  ): Promise<void> {
    let recovered = true;
    let read = readStorage;
    for (let round = 0; ; round += 1) {
      if (round === MAX_CATCH_UP_ROUNDS)
        throw new Error(`storage and live messages still disagree after ${round} catch-up rounds`);
      if (read && !(await this.#readStorage(connection))) {
        if (connection.closed) return;
        recovered = false;
      }
      if (connection.closed) return;
      read = true;
      if (connection.overflowed) {
        // Live items were dropped while catching up: storage has them all.
        connection.overflowed = false;
        connection.pending = [];
        continue;
      }
      if (this.#drainPending(connection)) break;
      if (connection.closed) return;
    }
    connection.syncing = false;
    if (!recovered) this.#counters.notRecovered += 1;
    if (initial || !recovered)
      connection.transport.sendReady({ epoch: connection.epoch, position: connection.position, recovered });
  }

  /** Writes what storage has after the connection's mark, page by page; false when it cannot be recovered. */
  async #readStorage(connection: PushConnection<TCaller>): Promise<boolean> {
    for (;;) {
      let from: { epoch: string; position: number };
      if (connection.epoch === null) {
        // Holding nothing: position 0 resumes in whatever epoch the stream has.
        const head = await this.#history.head(connection.stream, connection.caller);
        if (head.epoch === null) return true;
        from = { epoch: head.epoch, position: 0 };
      } else {
        from = { epoch: connection.epoch, position: connection.position };
      }
      const answer = await this.#history.since(
        connection.stream,
        connection.caller,
        from,
        this.#catchUpLimit,
      );
      if (connection.closed) return true;
      if (!answer.recovered) {
        connection.epoch = answer.epoch;
        connection.position = answer.latestPosition;
        return false;
      }
      for (const item of answer.items) {
        if (item.position <= connection.position && item.epoch === connection.epoch) continue;
        if (!this.#write(connection, new Delivery(item, JSON.stringify(item)))) return true;
        this.#counters.caughtUp += 1;
      }
      const more = answer.items.length === this.#catchUpLimit && connection.position < answer.latestPosition;
      if (!more) return true;
    }
  }

  /** Delivers the live items held meanwhile in position order; false when one shows a gap still. */
  #drainPending(connection: PushConnection<TCaller>): boolean {
    const pending = connection.pending.sort((a, b) => a.item.position - b.item.position);
    connection.pending = [];
    for (let index = 0; index < pending.length; index += 1) {
      const delivery = pending[index]!;
      const place = placeOf(connection, delivery);
      if (place === 'next') {
        if (!this.#write(connection, delivery)) return true;
        this.#counters.delivered += 1;
      } else if (place === 'gap') {
        connection.pending = pending.slice(index).concat(connection.pending);
        return false;
      } else {
        // Already had it; or another epoch than the one storage has just confirmed: stale.
        this.#counters.duplicatesDropped += 1;
      }
    }
    return true;
  }
}

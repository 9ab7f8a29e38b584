import { describe, expect, it } from '@jest/globals';
import { PushHub, type FanOut, type StreamCatchUp } from '../src/index.ts';
import { RESYNC_CONCURRENCY } from '../src/push-hub.ts';
import { Item, MemoryFeeds } from './support/memory-feeds.ts';
import { RecordingTransport } from './support/recording-transport.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';

/** A fan-out that lost its connection and restored its subscriptions: what Redis does after a restart. */
class ReconnectingFanOut implements FanOut {
  #resubscribed: (() => void) | undefined;
  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}
  async publish(): Promise<void> {}
  onMessage(): void {}
  onResubscribed(listener: () => void): void {
    this.#resubscribed = listener;
  }
  reconnected(): void {
    this.#resubscribed?.();
  }
  async close(): Promise<void> {}
}

/** Storage that answers in a later turn, as an RPC does, and counts the reads in flight. */
class CountingFeeds extends MemoryFeeds {
  inFlight = 0;
  mostInFlight = 0;
  override async since(
    stream: string,
    caller: string,
    from: { epoch: string; position: number },
    limit: number,
  ): Promise<StreamCatchUp<Item>> {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return await super.since(stream, caller, from, limit);
    } finally {
      this.inFlight -= 1;
    }
  }
}

describe('catching every connection up after the fan-out lost messages', () => {
  it('reads storage for a bounded number of connections at a time, and every connection gets what it missed', async () => {
    const connections = RESYNC_CONCURRENCY * 4 + 10;
    const feeds = new CountingFeeds();
    const fanOut = new ReconnectingFanOut();
    const hub = new PushHub<Item, string>({ fanOut, history: feeds, itemSchema: Item, itemEvent: 'item' });
    try {
      const transports = Array.from({ length: connections }, () => new RecordingTransport());
      for (const [index] of transports.entries()) feeds.append(`user-${index}`, 'before');
      transports.forEach((transport, index) => hub.open(`user-${index}`, `user-${index}`, transport));
      await waitFor(
        'every ready',
        () => transports.every((transport) => transport.readyStates.length === 1),
        { everyMs: 5 },
      );
      // A new connection starts at its stream's head: what came before is the list's, not the stream's.
      expect(transports.every((transport) => transport.items.length === 0)).toBe(true);

      // Published while the fan-out was down: no live message will show the gap.
      for (const [index] of transports.entries()) feeds.append(`user-${index}`, 'while Redis was down');
      feeds.mostInFlight = 0;
      fanOut.reconnected();
      await waitFor('every catch-up', () => transports.every((transport) => transport.items.length === 1), {
        everyMs: 5,
      });

      expect(feeds.mostInFlight).toBe(RESYNC_CONCURRENCY);
      expect(transports.every((transport) => transport.items[0]!.text === 'while Redis was down')).toBe(true);
      expect(transports.every((transport) => transport.goodbyes.length === 0)).toBe(true);
      // Caught up without a gap: no second `ready` (that would say "not recovered").
      expect(transports.every((transport) => transport.readyStates.length === 1)).toBe(true);
    } finally {
      hub.close();
    }
  });
});

import type { Delivery, PushTransport, ReadyState } from '../../src/index.ts';
import type { Item } from './memory-feeds.ts';

/**
 * A connection as the hub sees it (the PushTransport port), recording what the hub asked of it:
 * for tests of when and what the hub writes, not of how a socket carries it (the SSE and
 * WebSocket tests cover that). `log` counts heartbeats across every transport of a test.
 */
export class RecordingTransport implements PushTransport {
  buffered = 0;
  heartbeats = 0;
  /** Whether the peer answered the previous heartbeat (a WebSocket's pong); false: it did not. */
  answers = true;
  readonly readyStates: ReadyState[] = [];
  readonly items: Item[] = [];
  readonly goodbyes: string[] = [];
  readonly #log: { heartbeats: number };

  constructor(log: { heartbeats: number } = { heartbeats: 0 }) {
    this.#log = log;
  }

  sendItem(delivery: Delivery): void {
    this.items.push(delivery.item as Item);
  }

  sendReady(state: ReadyState): void {
    this.readyStates.push(state);
  }

  heartbeat(): boolean {
    this.heartbeats += 1;
    this.#log.heartbeats += 1;
    return this.answers;
  }

  goodbye(reason: string): void {
    this.goodbyes.push(reason);
  }

  onClose(): void {}
}

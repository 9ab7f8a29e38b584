import type { StreamItem, StreamMark } from './stream-mark.ts';

/**
 * One item on its way to this instance's connections: its JSON is made once, and each transport's
 * frame once, however many connections of the stream receive it.
 */
export class Delivery {
  readonly item: StreamItem;
  readonly json: string;
  sse: string | undefined = undefined;
  ws: string | undefined = undefined;

  constructor(item: StreamItem, json: string) {
    this.item = item;
    this.json = json;
  }
}

/** Where a stream stands when a connection goes live, or when a gap could not be filled. */
export interface ReadyState extends StreamMark {
  /** False: what the client held could not be continued (other epoch, pruned); reload the list. */
  readonly recovered: boolean;
}

/**
 * Why the server ends a connection, and whether the client should come back. Every goodbye is
 * sent before the connection closes (an SSE `goodbye` event, a WebSocket message and close code).
 */
export const GOODBYES = {
  'server-shutdown': {
    reconnect: true,
    wsCode: 1012,
    detail: 'this instance is shutting down; reconnect with your last position and another one takes over',
  },
  'slow-consumer': {
    reconnect: true,
    wsCode: 4008,
    detail: 'the connection fell too far behind: its send buffer is full; reconnect with your last position',
  },
  unresponsive: {
    reconnect: true,
    wsCode: 4009,
    detail:
      'the connection left a heartbeat unanswered: the client stopped reading; reconnect with your last position',
  },
  unavailable: {
    reconnect: true,
    wsCode: 1011,
    detail: 'the stream could not be read from storage; reconnect with your last position shortly',
  },
} as const;

export type GoodbyeReason = keyof typeof GOODBYES;

/**
 * How long a connection cut with a goodbye is given to read what it was sent (its backlog, then
 * the goodbye) before its socket is destroyed: a peer that reads nothing is not held for longer.
 */
export const GOODBYE_GRACE_MS = 5_000;

/** What the hub needs of a connection, whatever carries it (SSE, WebSocket). */
export interface PushTransport {
  /** Bytes written and not yet taken by the peer: the hub cuts the connection past its limit. */
  readonly buffered: number;
  sendItem(delivery: Delivery, event: string): void;
  sendReady(state: ReadyState): void;
  /**
   * Keeps the connection (and proxies on the way) alive. False, sending nothing: the peer left the
   * previous heartbeat unanswered (it stopped reading, or is gone), and the hub cuts it with a
   * reason. A transport that cannot tell (SSE: no answer exists) always writes and says true.
   */
  heartbeat(): boolean;
  goodbye(reason: GoodbyeReason): void;
  /** The hub's one callback when the peer or the network ends the connection. */
  onClose(listener: () => void): void;
}

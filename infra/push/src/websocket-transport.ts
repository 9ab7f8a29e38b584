import type { WebSocket } from 'ws';
import {
  GOODBYES,
  type Delivery,
  type GoodbyeReason,
  type PushTransport,
  type ReadyState,
} from './push-transport.ts';

const ALIVE = Symbol('alive');

interface Pinged {
  [ALIVE]?: boolean;
}

/** One function for every socket's pong, so a connection holds no closure for it. */
function answeredPing(this: WebSocket): void {
  (this as Pinged)[ALIVE] = true;
}

/** A message as the server sends it: `{ type, data }`, the SSE event's name and data. */
export function socketMessage(type: string, data: unknown): string {
  return JSON.stringify({ type, data });
}

/**
 * A WebSocket (the `ws` library) carrying the same messages as the event stream, as JSON text:
 * `{ type: 'notification' | 'ready' | 'goodbye' | 'error', data }`. The heartbeat is a protocol
 * ping: browsers answer it by themselves, and a peer that did not answer the previous one is gone.
 */
export class WebSocketTransport implements PushTransport {
  readonly #socket: WebSocket;

  constructor(socket: WebSocket) {
    this.#socket = socket;
    (socket as Pinged)[ALIVE] = true;
    socket.on('pong', answeredPing);
  }

  get buffered(): number {
    return this.#socket.bufferedAmount;
  }

  sendItem(delivery: Delivery, event: string): void {
    this.#socket.send((delivery.ws ??= `{"type":${JSON.stringify(event)},"data":${delivery.json}}`));
  }

  sendReady(state: ReadyState): void {
    this.#socket.send(socketMessage('ready', state));
  }

  heartbeat(): void {
    const socket = this.#socket as WebSocket & Pinged;
    if (socket[ALIVE] !== true) {
      socket.terminate();
      return;
    }
    socket[ALIVE] = false;
    socket.ping();
  }

  goodbye(reason: GoodbyeReason): void {
    const { reconnect, detail, wsCode } = GOODBYES[reason];
    this.#socket.send(socketMessage('goodbye', { reason, reconnect, detail }));
    // The close handshake waits for the peer; `ws` terminates the socket if it never answers.
    this.#socket.close(wsCode, reason);
  }

  onClose(listener: () => void): void {
    // `ws` emits 'close' once; `once` would add a wrapper and its state to every idle connection.
    this.#socket.on('close', listener);
  }
}

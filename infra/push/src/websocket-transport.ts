import type { WebSocket } from 'ws';
import {
  GOODBYE_GRACE_MS,
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

/** One function for every cut socket's grace timer, so a goodbye makes no closure either. */
function terminate(socket: WebSocket): void {
  socket.terminate();
}

/** A message as the server sends it: `{ type, data }`, the SSE event's name and data. */
export function socketMessage(type: string, data: unknown): string {
  return JSON.stringify({ type, data });
}

/**
 * A WebSocket (the `ws` library) carrying the same messages as the event stream, as JSON text:
 * `{ type: 'notification' | 'ready' | 'goodbye' | 'error', data }`. The heartbeat is a protocol
 * ping: browsers answer it by themselves, so a peer that left the previous one unanswered has
 * stopped reading (or is gone). It is not terminated on the spot: the hub cuts it with a reason,
 * which is queued after everything already sent, so a client that reads again learns why.
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

  heartbeat(): boolean {
    const socket = this.#socket as WebSocket & Pinged;
    if (socket[ALIVE] !== true) return false;
    socket[ALIVE] = false;
    socket.ping();
    return true;
  }

  goodbye(reason: GoodbyeReason): void {
    const { reconnect, detail, wsCode } = GOODBYES[reason];
    this.#socket.send(socketMessage('goodbye', { reason, reconnect, detail }));
    // The close frame follows everything already sent; the handshake waits for the peer to read
    // that far, for the grace at most (`ws` alone would wait 30 s), then the socket is destroyed.
    this.#socket.close(wsCode, reason);
    setTimeout(terminate, GOODBYE_GRACE_MS, this.#socket).unref();
  }

  onClose(listener: () => void): void {
    // `ws` emits 'close' once; `once` would add a wrapper and its state to every idle connection.
    this.#socket.on('close', listener);
  }
}

import type { ServerResponse } from 'node:http';
import {
  GOODBYE_GRACE_MS,
  GOODBYES,
  type Delivery,
  type GoodbyeReason,
  type PushTransport,
  type ReadyState,
} from './push-transport.ts';
import { lastEventIdOf } from './stream-mark.ts';

/** The response head of an event stream; no proxy on the way may buffer or transform it. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;

/**
 * Server-sent events on a Node response. Every item carries `id: <epoch>:<position>`, so a browser's
 * EventSource (or any client) sends it back as `Last-Event-ID` on reconnecting; `ready` carries the
 * mark too, so a client told "not recovered" resumes from the new head next time. A heartbeat is a
 * comment line, invisible to EventSource.
 */
export class SseTransport implements PushTransport {
  readonly #res: ServerResponse;

  /** Writes the head at once: the client knows it is connected before anything is sent. */
  constructor(res: ServerResponse, headers: Record<string, string> = {}) {
    this.#res = res;
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    // Sent before any event, so even a first connection that drops reconnects promptly.
    res.write('retry: 2000\n\n');
  }

  get buffered(): number {
    return this.#res.writableLength;
  }

  sendItem(delivery: Delivery, event: string): void {
    const { epoch, position } = delivery.item;
    this.#res.write(
      (delivery.sse ??= `id: ${epoch}:${position}\nevent: ${event}\ndata: ${delivery.json}\n\n`),
    );
  }

  sendReady(state: ReadyState): void {
    this.#res.write(`id: ${lastEventIdOf(state)}\nevent: ready\ndata: ${JSON.stringify(state)}\n\n`);
  }

  heartbeat(): boolean {
    // An event stream has no answer to wait for: a peer that stopped reading is found by its buffer.
    this.#res.write(':\n\n');
    return true;
  }

  goodbye(reason: GoodbyeReason): void {
    const { reconnect, detail } = GOODBYES[reason];
    // Spread reconnections after a shutdown, so the instances left are not hit all at once.
    const retry = reason === 'server-shutdown' ? `retry: ${500 + Math.floor(Math.random() * 4_500)}\n` : '';
    this.#res.end(`${retry}event: goodbye\ndata: ${JSON.stringify({ reason, reconnect, detail })}\n\n`);
    // A peer that reads nothing never takes the rest: it is destroyed rather than held.
    setTimeout(() => this.#res.destroy(), GOODBYE_GRACE_MS).unref();
  }

  onClose(listener: () => void): void {
    this.#res.once('close', listener);
  }
}

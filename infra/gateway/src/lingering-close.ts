import type { Socket } from 'node:net';

/** How long lingering lasts when bounds are not given: nginx's defaults, `lingering_timeout` and `lingering_time`. */
const LINGER: LingerBounds = { idleMs: 5_000, maxMs: 30_000 };

export interface LingerBounds {
  /** A refused client that sends nothing for this long is done, or gone: its connection is cut. */
  readonly idleMs: number;
  /** A refused client still sending after this long is cut off, whatever it sends. */
  readonly maxMs: number;
}

/**
 * Lets the connection of a request refused before its body was read (413, 401, 429…) read and drop
 * the rest of that body for a while before it closes ("lingering close", as nginx does it).
 *
 * Node's HTTP server closes such a connection as soon as the answer is written. The client is then
 * still sending; its next bytes meet a closed socket, the kernel answers them with a reset, and the
 * client's failed write tears the connection down before it has read the answer: it sees EPIPE or
 * ECONNRESET instead of the 413 that explains what to fix. Lingering keeps reading (Node's parser
 * drops a finished request's body) so the client's writes succeed until it has the answer and
 * hangs up.
 *
 * The bounds are an idle time and a total, as nginx's: a single total short enough to free
 * connections soon (2 s, until 2026-12-06) cut off a client whose machine was merely busy, mid-body,
 * and it got a reset instead of its answer. The idle bound frees the connection of a client that
 * stopped sending just as soon.
 */
export function lingerOnClose(socket: Socket | null, bounds: LingerBounds = LINGER): void {
  // Gone already (the client hung up): there is nobody left to read the answer.
  if (socket === null) return;
  // The HTTP server ends a `connection: close` exchange through destroySoon(); this one socket's
  // version half-closes instead, and destroys only when the client is done or a bound is reached.
  socket.destroySoon = function lingeringDestroySoon(this: Socket): void {
    if (this.writable) this.end();
    // Node's HTTP server reads the socket natively, without 'data' events, and refreshes the
    // socket's timeout on every read it parses: so this fires only after idleMs without a byte.
    this.setTimeout(bounds.idleMs, () => this.destroy());
    const cutOff = setTimeout(() => this.destroy(), bounds.maxMs).unref();
    this.once('close', () => clearTimeout(cutOff));
  };
}

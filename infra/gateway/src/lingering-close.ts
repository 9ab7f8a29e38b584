import type { Socket } from 'node:net';

/** How long a refused client may go on sending before its connection is cut (nginx's lingering_time is 30 s). */
const LINGER_MS = 2_000;

/**
 * Lets the connection of a request refused before its body was read (413, 401, 429…) read and drop
 * the rest of that body for a while before it closes ("lingering close", as nginx does it).
 *
 * Node's HTTP server closes such a connection as soon as the answer is written. The client is then
 * still sending; its next bytes meet a closed socket, the kernel answers them with a reset, and the
 * client's failed write tears the connection down before it has read the answer: it sees EPIPE or
 * ECONNRESET instead of the 413 that explains what to fix. Lingering keeps reading (Node's parser
 * drops a finished request's body) so the client's writes succeed until it has the answer and
 * hangs up; a client that keeps sending is cut off after LINGER_MS.
 */
export function lingerOnClose(socket: Socket | null, lingerMs: number = LINGER_MS): void {
  // Gone already (the client hung up): there is nobody left to read the answer.
  if (socket === null) return;
  // The HTTP server ends a `connection: close` exchange through destroySoon(); this one socket's
  // version half-closes instead, and destroys only when the client is done or the time is up.
  socket.destroySoon = function lingeringDestroySoon(this: Socket): void {
    if (this.writable) this.end();
    const cutOff = setTimeout(() => this.destroy(), lingerMs).unref();
    this.once('close', () => clearTimeout(cutOff));
  };
}

import { connect as connectTcp, isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { outsideAnyRequest } from './connector-outside-requests.ts';
import { headTimeoutError, UpstreamCall, type UpstreamHandler } from './upstream-call.ts';
import { UpstreamConnection, type ConnectionOwner } from './upstream-connection.ts';
import { upstreamError } from './upstream-error.ts';
import { requestHead, type UpstreamRequest } from './upstream-request-head.ts';

export type { UpstreamHandler } from './upstream-call.ts';
export type { UpstreamRequest } from './upstream-request-head.ts';

export interface UpstreamDispatcherOptions {
  /** Sockets at most; requests beyond them wait in order. */
  readonly connections: number;
  /** How long a socket may idle before it is closed, unless the upstream's Keep-Alive hint is shorter. */
  readonly keepAliveTimeout: number;
  readonly connectTimeout?: number;
  /** From the request's write to its response head: a backstop, the proxy keeps its own tighter timer. */
  readonly headersTimeout?: number;
  readonly maxHeaderSize?: number;
}

/** The sweep's period: every timeout fires at most this late. */
const TICK_MS = 200;

/**
 * The gateway's HTTP/1.1 client to one upstream origin (http or https): a pool of kept-alive
 * sockets, one request at a time on each, in place of undici's Pool on the proxy's path (ADR 0072).
 * What it owns: the connect timeout, the idle timeout (shortened to the upstream's `Keep-Alive:
 * timeout` less 2 s, as undici does, so the upstream never closes a socket we are about to reuse),
 * the head and body timeouts, and the errors, with undici's codes, that upstream-failure.ts judges.
 *
 * A socket that finished a response is reused only after the event loop's next poll (undici's
 * defence, GHSA-35p6-xmwp-9g52): bytes or a FIN already pending on it are read first and close it,
 * rather than being taken for the next request's answer. One `setImmediate` per loop turn serves
 * every socket released in it.
 */
export class UpstreamDispatcher implements ConnectionOwner {
  readonly #host: string;
  readonly #port: number;
  readonly #tls: boolean;
  readonly #hostHeader: string;
  readonly #max: number;
  readonly #keepAliveTimeout: number;
  readonly #connectTimeout: number;
  readonly headersTimeout: number;
  readonly maxHeaderSize: number;
  readonly #open = new Set<UpstreamConnection>();
  /** Ready for a request, the most recently used last. */
  readonly #idle: UpstreamConnection[] = [];
  /** Released in this loop turn, ready after the next poll. */
  readonly #fresh: UpstreamConnection[] = [];
  readonly #queue: UpstreamCall[] = [];
  readonly #sweep: NodeJS.Timeout;
  #promoting: NodeJS.Immediate | undefined = undefined;
  readonly #promoteNow = () => this.#promote();
  #closing: (() => void) | undefined = undefined;
  #closed = false;
  now = performance.now();

  constructor(origin: string, options: UpstreamDispatcherOptions) {
    const url = new URL(origin);
    this.#tls = url.protocol === 'https:';
    this.#host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.#port = Number(url.port || (this.#tls ? 443 : 80));
    this.#hostHeader = url.host;
    this.#max = options.connections;
    this.#keepAliveTimeout = options.keepAliveTimeout;
    this.#connectTimeout = options.connectTimeout ?? 10_000;
    this.headersTimeout = options.headersTimeout ?? 300_000;
    this.maxHeaderSize = options.maxHeaderSize ?? 16_384;
    this.#sweep = setInterval(() => this.#expire(), TICK_MS);
    this.#sweep.unref();
  }

  /** Sends one request; the handler hears everything that becomes of it (see UpstreamHandler). */
  dispatch(request: UpstreamRequest, handler: UpstreamHandler): void {
    let call: UpstreamCall;
    try {
      if (this.#closed) throw upstreamError('UND_ERR_CLOSED', 'the upstream pool is closed');
      const headTimeout = request.headTimeout;
      call = new UpstreamCall(
        request,
        handler,
        requestHead(request, this.#hostHeader),
        headTimeout === undefined ? Infinity : performance.now() + headTimeout,
      );
    } catch (error) {
      handler.onError(error as Error);
      return;
    }
    handler.onConnect((reason) => this.#abort(call, reason));
    if (call.settled) return;
    // Written at the end of this loop turn, with every other request of the turn (#promote).
    this.#queue.push(call);
    this.#promoting ??= setImmediate(this.#promoteNow);
  }

  /** Resolves once every request given to it ended and every socket closed; takes no new ones. */
  close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const connection of [...this.#idle, ...this.#fresh]) connection.socket.destroy();
    if (this.#open.size === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#closing = resolve;
    });
  }

  released(connection: UpstreamConnection, reusable: boolean, idleMs: number): void {
    if (!reusable || this.#closed) {
      connection.socket.destroy();
      return;
    }
    connection.socket.unref();
    // Early rather than late by up to a sweep: the upstream's own idle timer must not win the race.
    connection.deadline = this.now + Math.min(this.#keepAliveTimeout, idleMs);
    this.#fresh.push(connection);
    this.#promoting ??= setImmediate(this.#promoteNow);
  }

  closed(connection: UpstreamConnection): void {
    this.#open.delete(connection);
    removeFrom(this.#idle, connection);
    removeFrom(this.#fresh, connection);
    // A waiting request takes the place the closed socket leaves, as requests are given sockets.
    if (this.#queue.length > 0) this.#promoting ??= setImmediate(this.#promoteNow);
    else if (this.#closed && this.#open.size === 0) this.#closing?.();
  }

  #promote(): void {
    this.#promoting = undefined;
    for (const connection of this.#fresh) {
      if (!connection.socket.destroyed) this.#idle.push(connection);
    }
    this.#fresh.length = 0;
    while (this.#queue.length > 0) {
      const connection = this.#idle.pop();
      if (connection !== undefined) connection.start(this.#queue.shift()!);
      else if (this.#open.size < this.#max) this.#connect().start(this.#queue.shift()!);
      else break;
    }
  }

  #connect(): UpstreamConnection {
    const host = this.#host;
    const port = this.#port;
    // Opened outside the request's async context: a kept-alive socket's callbacks serve many
    // requests (connector-outside-requests.ts says why).
    const socket = outsideAnyRequest(() =>
      this.#tls
        ? connectTls({
            host,
            port,
            servername: isIP(host) === 0 ? host : undefined,
            ALPNProtocols: ['http/1.1'],
          })
        : connectTcp({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 }),
    );
    const connection = new UpstreamConnection(socket, this, TICK_MS, this.#connectTimeout);
    socket.once(this.#tls ? 'secureConnect' : 'connect', () => {
      if (this.#tls) socket.setNoDelay(true);
      connection.connectedNow();
    });
    this.#open.add(connection);
    return connection;
  }

  #abort(call: UpstreamCall, reason: Error | undefined): void {
    if (call.settled) return;
    const connection = call.connection;
    if (connection !== undefined) connection.abandon();
    else removeFrom(this.#queue, call);
    call.settle(reason ?? upstreamError('UND_ERR_ABORTED', 'the request was aborted'));
  }

  #expire(): void {
    const now = (this.now = performance.now());
    for (const connection of this.#open) if (now >= connection.deadline) connection.expire();
    // A request still waiting for a socket has its head timeout running too.
    const queue = this.#queue;
    for (let index = 0; index < queue.length;) {
      const call = queue[index]!;
      if (now < call.headDeadline) index += 1;
      else {
        queue.splice(index, 1);
        call.settle(headTimeoutError(call));
      }
    }
  }
}

function removeFrom<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index !== -1) list.splice(index, 1);
}

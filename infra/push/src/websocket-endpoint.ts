import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RpcError, z } from '@strata/shared-kernel';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { PushHub, Refusal } from './push-hub.ts';
import { StreamMarkSchema, type StreamItem } from './stream-mark.ts';
import { socketMessage, WebSocketTransport } from './websocket-transport.ts';

/** The first message a client sends: which stream position it holds, if any. */
export const SubscribeMessage = z.strictObject({
  type: z.literal('subscribe'),
  /** What the client holds (its last item's epoch and position, or its list's); absent: from now on. */
  since: StreamMarkSchema.optional(),
});

/** An HTTP answer to a refused upgrade, written on the socket before it is closed. */
export interface UpgradeRefusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface WebSocketEndpointOptions<TCaller> {
  hub: Pick<PushHub<StreamItem, TCaller>, 'admits' | 'open'>;
  /** The request path upgraded here (`/notifications/socket`); any other upgrade is answered 404. */
  path: string;
  /** The subprotocol the server speaks; a browser lists it beside its `bearer.<token>`. */
  protocol: string;
  /** Verifies an access token; throws (an RpcError) to refuse. */
  authenticate(token: string): Promise<TCaller>;
  /** The stream a caller's connection follows (their own notifications). */
  streamOf(caller: TCaller): string;
  /** How a refusal (an RpcError, or anything thrown) is answered: problem+json in practice. */
  refusal(error: unknown): UpgradeRefusal;
  /** How long a client has to send its subscribe message. */
  subscribeTimeoutMs?: number;
  onError?: (error: unknown, context: string) => void;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
const BEARER_PROTOCOL = /^bearer\.([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * The access token of an upgrade: the Authorization header (any client but a browser), else a
 * `bearer.<token>` subprotocol in Sec-WebSocket-Protocol, the one header a browser's WebSocket can
 * set (Kubernetes does the same). Never the URL: URLs end up in access logs.
 */
export function upgradeToken(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (header !== undefined && header !== '') {
    const match = BEARER.exec(header);
    if (match === null)
      throw new RpcError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <jwt>"', {
        reason: 'invalid-access-token',
      });
    return match[1]!;
  }
  for (const offered of (req.headers['sec-websocket-protocol'] ?? '').split(',')) {
    const match = BEARER_PROTOCOL.exec(offered.trim());
    if (match !== null) return match[1]!;
  }
  throw new RpcError(
    'UNAUTHENTICATED',
    'a WebSocket needs an access token: the Authorization header, or the subprotocol "bearer.<jwt>" beside the one the server speaks',
    { reason: 'access-token-required' },
  );
}

/** A hub refusal as the typed error a client is answered with. */
export function refusalError(refusal: Refusal): RpcError {
  return refusal === 'connection-limit'
    ? new RpcError('RATE_LIMITED', 'this user has as many live connections as allowed; close one first', {
        reason: 'too-many-connections',
      })
    : new RpcError('UNAVAILABLE', 'this instance is shutting down; connect again', {
        reason: 'shutting-down',
        details: { retryAfterMs: 1_000 },
      });
}

const CLOSE = { invalidMessage: 4400, timeout: 4408, refused: 4429, shuttingDown: 1012 } as const;

/**
 * WebSocket upgrades on one path of a Node server: authenticated before the handshake (401 and
 * the others as problem+json, like any route), capped per user, then the client's first message
 * says what it holds and the hub takes over. Clients that never send it are closed by one shared
 * sweep, not a timer each.
 */
export class WebSocketEndpoint<TCaller> {
  readonly #options: WebSocketEndpointOptions<TCaller>;
  readonly #server = new WebSocketServer({
    noServer: true,
    // Clients send one small message; nothing bigger is read.
    maxPayload: 1024,
    perMessageDeflate: false,
    clientTracking: false,
  });
  /** Accepted sockets awaiting their subscribe message, with their deadline. */
  readonly #awaiting = new Map<WebSocket, number>();
  readonly #sweep: NodeJS.Timeout;
  readonly #timeoutMs: number;
  // One listener for every socket, not a closure each: an idle connection keeps its listeners for life.
  readonly #upgradeSocketError = (error: Error) =>
    this.#options.onError?.(error, 'a WebSocket upgrade socket');
  readonly #socketError = (error: Error) => this.#options.onError?.(error, 'a notification WebSocket');

  constructor(options: WebSocketEndpointOptions<TCaller>) {
    this.#options = options;
    this.#timeoutMs = options.subscribeTimeoutMs ?? 10_000;
    this.#sweep = setInterval(() => this.#expire(), Math.min(1_000, this.#timeoutMs));
    this.#sweep.unref();
  }

  /** Starts answering upgrades on the server (the app's HTTP server). */
  attach(server: Server): void {
    server.on(
      'upgrade',
      (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.#upgrade(req, socket, head),
    );
  }

  /** Stops the sweep and closes the sockets still awaiting their first message; the hub closes the rest. */
  close(): void {
    clearInterval(this.#sweep);
    for (const socket of this.#awaiting.keys()) socket.close(CLOSE.shuttingDown, 'server-shutdown');
    this.#awaiting.clear();
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', this.#upgradeSocketError);
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== this.#options.path)
        throw new RpcError('NOT_FOUND', `no WebSocket is served at ${path}`, { reason: 'no-such-socket' });
      const caller = await this.#options.authenticate(upgradeToken(req));
      const stream = this.#options.streamOf(caller);
      const refusal = this.#options.hub.admits(stream);
      if (refusal !== undefined) throw refusalError(refusal);
      this.#server.handleUpgrade(req, socket, head, (ws) => this.#accepted(ws, caller, stream));
    } catch (error) {
      this.#refuse(socket, this.#options.refusal(error));
    }
  }

  #accepted(socket: WebSocket, caller: TCaller, stream: string): void {
    this.#awaiting.set(socket, Date.now() + this.#timeoutMs);
    socket.on('error', this.#socketError);
    // The two closures below live until the subscribe message only: once it came, the socket holds
    // none of this function's closures (nor their context), as an idle connection should.
    const forget = () => this.#awaiting.delete(socket);
    socket.on('close', forget);
    const first = (data: RawData, isBinary: boolean) => {
      socket.off('message', first);
      socket.off('close', forget);
      socket.on('message', unexpectedMessage);
      this.#awaiting.delete(socket);
      const subscribe = parseMessage(data, isBinary);
      if (!subscribe.ok) {
        reject(socket, 'INVALID_ARGUMENT', subscribe.reason, subscribe.detail, subscribe.errors);
        return;
      }
      const refusal = this.#options.hub.open(
        stream,
        caller,
        new WebSocketTransport(socket),
        subscribe.value.since,
      );
      if (refusal !== undefined) {
        const error = refusalError(refusal);
        reject(
          socket,
          error.code,
          error.reason ?? refusal,
          error.message,
          [],
          refusal === 'connection-limit' ? CLOSE.refused : CLOSE.shuttingDown,
        );
      }
    };
    socket.on('message', first);
  }

  #expire(): void {
    const now = Date.now();
    for (const [socket, deadline] of this.#awaiting) {
      if (deadline > now) continue;
      this.#awaiting.delete(socket);
      reject(
        socket,
        'DEADLINE_EXCEEDED',
        'subscribe-message-required',
        `no subscribe message within ${this.#timeoutMs} ms of connecting`,
        [],
        CLOSE.timeout,
      );
    }
  }

  #refuse(socket: Duplex, refusal: UpgradeRefusal): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const head = Object.entries({
      ...refusal.headers,
      'content-length': String(Buffer.byteLength(refusal.body)),
      connection: 'close',
    })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    socket.end(`HTTP/1.1 ${refusal.status} ${statusText(refusal.status)}\r\n${head}\r\n\r\n${refusal.body}`);
  }
}

type Parsed =
  | { ok: true; value: z.output<typeof SubscribeMessage> }
  | { ok: false; reason: string; detail: string; errors: { path: string; message: string }[] };

function parseMessage(data: RawData, isBinary: boolean): Parsed {
  if (isBinary)
    return {
      ok: false,
      reason: 'text-message-required',
      detail: 'messages are JSON text, not binary',
      errors: [],
    };
  let json: unknown;
  try {
    json = JSON.parse(String(data));
  } catch {
    return { ok: false, reason: 'malformed-json', detail: 'the message is not valid JSON', errors: [] };
  }
  const parsed = SubscribeMessage.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    reason: 'invalid-subscribe-message',
    detail: 'the first message must be {"type":"subscribe","since"?:{"epoch","position"}}',
    errors: parsed.error.issues.map((issue) => ({
      path: issue.path.join('.') || '(root)',
      message: issue.message,
    })),
  };
}

/** Only the subscribe message is expected of a client; anything after it is refused. */
function unexpectedMessage(this: WebSocket): void {
  reject(this, 'INVALID_ARGUMENT', 'unexpected-message', 'the server expects no message after subscribe', []);
}

function reject(
  socket: WebSocket,
  code: string,
  reason: string,
  detail: string,
  errors: { path: string; message: string }[],
  closeCode: number = CLOSE.invalidMessage,
): void {
  socket.send(socketMessage('error', { code, reason, detail, ...(errors.length > 0 ? { errors } : {}) }));
  socket.close(closeCode, reason);
}

function statusText(status: number): string {
  return (
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      429: 'Too Many Requests',
      503: 'Service Unavailable',
    }[status] ?? 'Error'
  );
}

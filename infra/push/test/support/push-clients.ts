import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';

/** One message a push client received: the SSE event (or WebSocket type), its id, its data. */
export interface Received {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
  /** When it arrived (performance.now()), for latency figures. */
  readonly at: number;
}

/** What every test client offers: the messages so far, waiting for more, and closing. */
export interface PushClient {
  readonly received: Received[];
  /** The items' positions received so far (messages of the item event only). */
  positions(event?: string): number[];
  /** Resolves once `predicate` holds for the messages received, or rejects after `timeoutMs`. */
  until(predicate: (received: Received[]) => boolean, what: string, timeoutMs?: number): Promise<Received[]>;
  closed: Promise<void>;
  close(): void;
}

abstract class BaseClient implements PushClient {
  readonly received: Received[] = [];
  closed: Promise<void>;
  protected markClosed!: () => void;

  constructor() {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  positions(event = 'notification'): number[] {
    return this.received
      .filter((message) => message.event === event)
      .map((message) => (message.data as { position: number }).position);
  }

  async until(
    predicate: (received: Received[]) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<Received[]> {
    await waitFor(what, () => predicate(this.received), {
      timeoutMs,
      everyMs: 10,
      detail: () => `received: ${JSON.stringify(this.received)}`,
    });
    return this.received;
  }

  abstract close(): void;
}

/**
 * An event-stream client over Node's http (what a fetch-based browser client does): headers of its
 * choosing, and the stream parsed into events as the spec says (comments skipped).
 */
export class SseClient extends BaseClient {
  readonly response: Promise<IncomingMessage>;
  /** The body of a refusal (a problem), when the answer was not a stream. */
  body = '';
  readonly #request: ClientRequest;
  #paused = false;
  #raw = '';

  constructor(url: string, headers: Record<string, string>) {
    super();
    this.#request = request(url, { headers: { accept: 'text/event-stream', ...headers } });
    this.response = new Promise((resolve, reject) => {
      this.#request.on('response', (response) => {
        resolve(response);
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => this.#take(response, chunk));
        response.on('close', () => this.markClosed());
      });
      this.#request.on('error', (error) => {
        reject(error);
        this.markClosed();
      });
    });
    this.#request.end();
  }

  /** Stops reading: the server's writes pile up in the socket, as with a client too slow to keep up. */
  pause(): void {
    this.#paused = true;
    this.#request.socket?.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#request.socket?.resume();
  }

  get paused(): boolean {
    return this.#paused;
  }

  close(): void {
    this.#request.destroy();
  }

  #take(response: IncomingMessage, chunk: string): void {
    if (!String(response.headers['content-type']).startsWith('text/event-stream')) {
      this.body += chunk;
      return;
    }
    this.#raw += chunk;
    let end: number;
    while ((end = this.#raw.indexOf('\n\n')) >= 0) {
      const block = this.#raw.slice(0, end);
      this.#raw = this.#raw.slice(end + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'id') id = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0)
        this.received.push({ event, id, data: JSON.parse(data.join('\n')), at: performance.now() });
    }
  }
}

/** A WebSocket client (`ws`), sending its subscribe message once open. */
export class SocketClient extends BaseClient {
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  closeCode: number | undefined;
  closeReason = '';
  /** Protocol pings received (answered by `ws` itself while the client reads): the server's heartbeats. */
  pings = 0;
  /** The answer to a refused upgrade: its status and body. */
  refusal: Promise<{ status: number; body: string }>;

  constructor(
    url: string,
    options: { headers?: Record<string, string>; protocols?: string[]; subscribe?: unknown },
  ) {
    super();
    this.socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    this.refusal = new Promise((resolve) => {
      this.socket.on('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body });
          this.markClosed();
        });
      });
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => {
        if (options.subscribe !== undefined) this.socket.send(JSON.stringify(options.subscribe));
        resolve();
      });
      this.socket.once('error', reject);
    });
    this.opened.catch(() => undefined);
    this.socket.on('error', () => undefined);
    this.socket.on('ping', () => (this.pings += 1));
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        data: { epoch?: string; position?: number };
      };
      const id =
        message.data?.epoch !== undefined ? `${message.data.epoch}:${message.data.position}` : undefined;
      this.received.push({ event: message.type, id, data: message.data, at: performance.now() });
    });
    this.socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = String(reason);
      this.markClosed();
    });
  }

  /**
   * Stops reading (`ws` pauses its TCP socket): what the server sends, its pings too, waits in the
   * kernel unread and unanswered, as with a client that hangs or a tab the browser froze.
   */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.terminate();
  }
}

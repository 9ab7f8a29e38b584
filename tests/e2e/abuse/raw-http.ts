import { connect } from 'node:net';

// An HTTP/1.1 client on a bare socket, so the abuse suite can send what fetch refuses to: any
// method, duplicate or contradictory framing headers, Expect, bodies that do not match their
// Content-Length, and every request from a source address of its own choosing (127.0.0.0/8), as
// separate clients would. One request per connection (`connection: close`).

const BODY_SLICE = 16_384;

export interface RawRequest {
  method: string;
  /** The request target exactly as sent: path and query, encoded (or deliberately not). */
  target: string;
  /** In order; a name may repeat. `host` and `connection: close` are added unless present. */
  headers: readonly (readonly [string, string])[];
  body?: Buffer;
  /** Sends the head first and the body only after a 100 Continue, another answer, or this many ms. */
  holdBodyMs?: number;
  localAddress?: string;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** Interim (1xx) statuses seen before the final answer. */
  interim: number[];
}

export type RawOutcome =
  { kind: 'answer'; response: RawResponse } | { kind: 'timeout' } | { kind: 'closed'; detail: string };

interface Head {
  status: number;
  headers: Record<string, string>;
  length: number;
}

function parseHead(buffer: Buffer): Head | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status, headers, length: end + 4 };
}

/** The decoded chunked body once its last chunk arrived, else undefined. */
function dechunk(buffer: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

export function sendRaw(port: number, request: RawRequest): Promise<RawOutcome> {
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers = [
    ...(names.has('host') ? [] : [['host', `127.0.0.1:${port}`] as const]),
    ...request.headers,
    ...(names.has('connection') ? [] : [['connection', 'close'] as const]),
  ];
  const head = Buffer.from(
    `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`,
    'latin1',
  );
  return new Promise((settle) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: request.localAddress });
    let received = Buffer.alloc(0);
    const interim: number[] = [];
    let bodySent = request.body === undefined || request.holdBodyMs === undefined;
    let settled = false;
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(hold);
      socket.destroy();
      settle(outcome);
    };
    // Head and body go out in slices, with a turn of the event loop between them, and stop once an
    // answer is in: a server may refuse early (431 on a huge head, 413 on a declared length) and close.
    const writeSlices = async (body: Buffer) => {
      for (let at = 0; at < body.length && !settled && !socket.destroyed; at += BODY_SLICE) {
        const flushed = socket.write(body.subarray(at, at + BODY_SLICE));
        // Back to the event loop between slices, so an early answer is read before the next write.
        await new Promise<void>((next) => {
          if (flushed) setTimeout(next, 1);
          else {
            socket.once('drain', next);
            socket.once('close', next);
          }
        });
      }
    };
    const sendBody = () => {
      if (bodySent || socket.destroyed) return;
      bodySent = true;
      void writeSlices(request.body!);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), request.timeoutMs ?? 10_000);
    const hold = request.holdBodyMs === undefined ? undefined : setTimeout(sendBody, request.holdBodyMs);

    /** Answers the final response once complete; consumes interim ones. */
    const look = (closed: boolean): RawResponse | undefined => {
      for (;;) {
        const parsed = parseHead(received);
        if (parsed === undefined) return undefined;
        if (parsed.status >= 100 && parsed.status < 200) {
          interim.push(parsed.status);
          received = received.subarray(parsed.length);
          if (parsed.status === 100) sendBody();
          continue;
        }
        const rest = received.subarray(parsed.length);
        const bodyless = request.method === 'HEAD' || parsed.status === 204 || parsed.status === 304;
        const declared = parsed.headers['content-length'];
        let body: Buffer | undefined;
        if (bodyless) body = Buffer.alloc(0);
        // An event stream stays open by design (a heartbeat, then events as they come): its head
        // is the answer, with whatever of the stream came with it.
        else if (/^text\/event-stream\b/i.test(parsed.headers['content-type'] ?? '')) body = rest;
        else if (/chunked/i.test(parsed.headers['transfer-encoding'] ?? '')) body = dechunk(rest);
        else if (declared !== undefined) body = rest.length >= Number(declared) ? rest : undefined;
        else body = closed ? rest : undefined;
        if (body === undefined) return undefined;
        return { status: parsed.status, headers: parsed.headers, body, interim };
      }
    };

    socket.on('connect', () => {
      const eager = request.body !== undefined && request.holdBodyMs === undefined;
      void writeSlices(eager ? Buffer.concat([head, request.body!]) : head);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const response = look(false);
      if (response !== undefined) finish({ kind: 'answer', response });
    });
    socket.on('end', () => {
      const response = look(true);
      finish(
        response === undefined
          ? { kind: 'closed', detail: `closed after ${received.length} bytes without a complete answer` }
          : { kind: 'answer', response },
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const response = look(true);
      finish(
        response === undefined
          ? { kind: 'closed', detail: `${error.code ?? error.message} after ${received.length} bytes` }
          : { kind: 'answer', response },
      );
    });
  });
}

/** The media type of a response, without parameters, lower case. */
export function mediaType(response: RawResponse): string | undefined {
  return response.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

import { upstreamError } from './upstream-error.ts';

/** What the gateway asks an upstream: one HTTP/1.1 request, its body read whole beforehand. */
export interface UpstreamRequest {
  readonly method: string;
  /** The origin-form target: path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: Buffer | null;
  /** Quiet allowed between body bytes once the head came, in ms; 0 for no limit. */
  readonly bodyTimeout: number;
  /**
   * From dispatch to the response head, in ms, a wait for a free socket included; left out, only
   * the pool's own `headersTimeout` (a backstop) applies. At most one sweep of the pool late.
   */
  readonly headTimeout?: number;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Node's own test (checkInvalidHeaderChar): no CR, LF or other control but HTAB may reach a head. */
const badValue = /[^\t\x20-\x7e\x80-\xff]/;
const badPath = /[^\u0021-\u00ff]/;
/** Headers of this one connection: the dispatcher writes its own framing and keeps the socket alive. */
const connectionHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect']);
/** Methods whose request carries a body by definition: an empty one is still declared (`content-length: 0`). */
const payloadMethods = new Set(['PUT', 'POST', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH']);

/** What a header name is to the head: written as it is, the upstream's Host, or the body's length. */
const PLAIN = 0;
const HOST = 1;
const CONTENT_LENGTH = 2;
/**
 * Names already checked, with what they are: a request's names are mostly the same few on every
 * request, and one lookup replaced a token test, a lowercasing and a set lookup each. Refused names
 * are never kept, and it stops growing at a bound, so names a client makes up cost no memory.
 */
const checkedNames = new Map<string, number>();
const CHECKED_NAMES_MAX = 512;

function kindOf(name: string): number {
  const known = checkedNames.get(name);
  if (known !== undefined) return known;
  if (!token.test(name)) throw invalid('invalid header name');
  const lower = name.toLowerCase();
  if (connectionHeaders.has(lower)) throw invalid(`invalid ${lower} header`);
  const kind = lower === 'content-length' ? CONTENT_LENGTH : lower === 'host' ? HOST : PLAIN;
  if (checkedNames.size < CHECKED_NAMES_MAX) checkedNames.set(name, kind);
  return kind;
}

function invalid(message: string): Error {
  return upstreamError('UND_ERR_INVALID_ARG', message);
}

/**
 * The request head as written to the upstream (Latin-1, as node:http read the client's), with
 * undici's checks and error codes: a header name that is no token, a value with a control
 * character (a token's claim could hold one), a path with a space or a control character, or a
 * header that would reframe the connection is refused (UND_ERR_INVALID_ARG, the client's fault)
 * rather than written; a Content-Length that disagrees with the body is
 * UND_ERR_REQ_CONTENT_LENGTH_MISMATCH.
 */
export function requestHead(request: UpstreamRequest, host: string): string {
  const { method, path, headers, body } = request;
  if (!token.test(method) || method === 'CONNECT') throw invalid('invalid request method');
  if (path === '' || badPath.test(path)) throw invalid('invalid request path');
  let head = `${method} ${path} HTTP/1.1\r\n`;
  let hostSent = false;
  for (const name in headers) {
    const value = headers[name]!;
    const kind = kindOf(name);
    if (kind === CONTENT_LENGTH) {
      if (Number(value) !== (body?.length ?? 0))
        throw upstreamError(
          'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
          'request body length does not match content-length header',
        );
      continue;
    }
    if (kind === HOST) hostSent = true;
    if (typeof value === 'string') {
      if (badValue.test(value)) throw invalid(`invalid ${name.toLowerCase()} header`);
      head += `${name}: ${value}\r\n`;
    } else {
      for (const one of value) {
        if (badValue.test(one)) throw invalid(`invalid ${name.toLowerCase()} header`);
        head += `${name}: ${one}\r\n`;
      }
    }
  }
  if (!hostSent) head += `host: ${host}\r\n`;
  const length = body?.length ?? 0;
  if (length > 0 || payloadMethods.has(method)) head += `content-length: ${length}\r\n`;
  return `${head}connection: keep-alive\r\n\r\n`;
}

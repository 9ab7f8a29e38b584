/**
 * What the short domain reads of a request's head (ADR 0043): the request line and the few headers
 * a redirect needs, strictly (RFC 9112); anything else is a refusal with its status, which
 * short-domain-http.ts answers and closes on.
 */
export interface ShortRequestHead {
  readonly method: 'GET' | 'HEAD';
  /** The request target as sent, e.g. `/spring-sale?utm=x`. */
  readonly target: string;
  readonly userAgent: string | undefined;
  readonly referer: string | undefined;
}

const REQUEST_LINE = /^([A-Z]+) ([\x21-\x7e]+) HTTP\/1\.([01])$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible characters, spaces and tabs, obs-text; no other control character.
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * What a head's header lines said, with the lines as sent: a connection keeps the last one and the
 * next head with the very same lines reuses it (see readHead).
 */
export interface HeaderFields {
  readonly text: string;
  readonly userAgent: string | undefined;
  readonly referer: string | undefined;
  readonly host: boolean;
  readonly body: boolean;
  /** The Connection header's `close` and `keep-alive` tokens. */
  readonly close: boolean;
  readonly keepAliveToken: boolean;
}

/**
 * A head read: the request, whether its connection stays open and the header fields to pass to the
 * next readHead of the connection, or the status it is refused with (and the header lines that
 * answer carries).
 */
export type ReadHead<R extends ShortRequestHead = ShortRequestHead> =
  | { readonly request: R; readonly keepAlive: boolean; readonly fields: HeaderFields }
  | { readonly refused: number; readonly headers?: string };

/**
 * A request's head (request line and header lines, without the blank line) read strictly; the
 * request carries `connection` (whatever the caller answers it on): one object a request. A
 * browser sends the same header lines on every request of a connection, and a bench client
 * certainly does: when they are the same text as `previous`'s (one comparison of bytes) they are
 * not read again. Reading them — split, a name and a value test, a lowercase copy per line — was
 * the largest part of the serving thread's own JavaScript (~0.35 µs the value tests alone,
 * bench/README.md "redir5"); and the same User-Agent and Referer strings, not equal copies, reach
 * the redirect, whose maps have their hashes already.
 */
export function readHead<C>(
  head: string,
  connection: C,
  previous?: HeaderFields,
): ReadHead<ShortRequestHead & { readonly connection: C }> {
  const lineEnd = head.indexOf('\r\n');
  const line = REQUEST_LINE.exec(lineEnd === -1 ? head : head.slice(0, lineEnd));
  if (line === null) return { refused: 400 };
  const [, method, target, minor] = line as unknown as [string, string, string, string];
  const text = lineEnd === -1 ? '' : head.slice(lineEnd + 2);
  const fields = previous !== undefined && previous.text === text ? previous : readFields(text);
  if (fields === null) return { refused: 400 };
  if (method !== 'GET' && method !== 'HEAD') return { refused: 405, headers: 'allow: GET, HEAD\r\n' };
  if (fields.body) return { refused: 400 };
  if (minor === '1' && !fields.host) return { refused: 400 };
  const keepAlive = minor === '1' ? !fields.close : fields.keepAliveToken;
  const { userAgent, referer } = fields;
  return { request: { method, target, userAgent, referer, connection }, keepAlive, fields };
}

/** The header lines (`text`, without the request line) read strictly; null if refused (400). */
function readFields(text: string): HeaderFields | null {
  let userAgent: string | undefined;
  let referer: string | undefined;
  let host = false;
  let connectionTokens = '';
  let body = false;
  const lines = text === '' ? [] : text.split('\r\n');
  for (const field of lines) {
    const colon = field.indexOf(':');
    // No name, whitespace before the colon or a folded line: refused, as RFC 9112 asks.
    const name = colon <= 0 ? '' : field.slice(0, colon);
    if (!TOKEN.test(name)) return null;
    const value = field.slice(colon + 1).trim();
    if (BAD_VALUE.test(value)) return null;
    switch (name.toLowerCase()) {
      case 'user-agent':
        userAgent ??= value;
        break;
      case 'referer':
        referer ??= value;
        break;
      case 'host':
        if (host) return null;
        host = true;
        break;
      case 'connection':
        connectionTokens += `,${value.toLowerCase()}`;
        break;
      case 'content-length':
        if (value !== '0') body = true;
        break;
      case 'transfer-encoding':
        body = true;
        break;
    }
  }
  // Most requests send no Connection header: no tokens to split.
  const tokens = connectionTokens === '' ? [] : connectionTokens.split(',').map((token) => token.trim());
  return {
    text,
    userAgent,
    referer,
    host,
    body,
    close: tokens.includes('close'),
    keepAliveToken: tokens.includes('keep-alive'),
  };
}

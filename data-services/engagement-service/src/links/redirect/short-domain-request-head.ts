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
 * A head read: the request and whether its connection stays open, or the status it is refused
 * with (and the header lines that answer carries).
 */
export type ReadHead<R extends ShortRequestHead = ShortRequestHead> =
  | { readonly request: R; readonly keepAlive: boolean }
  | { readonly refused: number; readonly headers?: string };

/**
 * A request's head (request line and header lines, without the blank line) read strictly; the
 * request carries `connection` (whatever the caller answers it on): one object a request.
 */
export function readHead<C>(
  head: string,
  connection: C,
): ReadHead<ShortRequestHead & { readonly connection: C }> {
  const lines = head.split('\r\n');
  const line = REQUEST_LINE.exec(lines[0]!);
  if (line === null) return { refused: 400 };
  const [, method, target, minor] = line as unknown as [string, string, string, string];
  let userAgent: string | undefined;
  let referer: string | undefined;
  let host = false;
  let connectionTokens = '';
  let body = false;
  for (let index = 1; index < lines.length; index += 1) {
    const field = lines[index]!;
    const colon = field.indexOf(':');
    // No name, whitespace before the colon or a folded line: refused, as RFC 9112 asks.
    const name = colon <= 0 ? '' : field.slice(0, colon);
    if (!TOKEN.test(name)) return { refused: 400 };
    const value = field.slice(colon + 1).trim();
    if (BAD_VALUE.test(value)) return { refused: 400 };
    switch (name.toLowerCase()) {
      case 'user-agent':
        userAgent ??= value;
        break;
      case 'referer':
        referer ??= value;
        break;
      case 'host':
        if (host) return { refused: 400 };
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
  if (method !== 'GET' && method !== 'HEAD') return { refused: 405, headers: 'allow: GET, HEAD\r\n' };
  if (body) return { refused: 400 };
  if (minor === '1' && !host) return { refused: 400 };
  // Most requests send no Connection header: no tokens to split.
  const tokens = connectionTokens === '' ? [] : connectionTokens.split(',').map((token) => token.trim());
  const keepAlive = minor === '1' ? !tokens.includes('close') : tokens.includes('keep-alive');
  return { request: { method, target, userAgent, referer, connection }, keepAlive };
}

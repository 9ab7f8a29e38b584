import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayRequest } from '../http-surface.ts';
import type { Identity } from '../token-verifier.ts';

/** Headers that concern one connection, never forwarded either way (Content-Length is re-derived). */
export const hopByHop: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  // A request to this hop: answered here (plugins/expect.ts), and undici refuses to send it.
  'expect',
]);

/**
 * Copies end-to-end headers; identity headers come only from the verified token, never the client.
 * When the gateway made a span for the request (`ownTraceContext`), the client's trace context is
 * not copied: the span continues it, and the proxy writes that span's `traceparent` itself
 * (request-trace.ts; two would make both invalid).
 */
export function forwardHeaders(
  req: GatewayRequest,
  requestId: string,
  identity: Identity | undefined,
  ownTraceContext: boolean,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const connection = req.headers.connection;
  // Most requests list nothing but keep-alive/close in Connection: no set to build then.
  const listedInConnection =
    connection === undefined || hopByHop.has(connection.toLowerCase())
      ? undefined
      : new Set(connection.split(',').map((name) => name.trim().toLowerCase()));
  for (const name in req.headers) {
    const value = req.headers[name];
    if (
      value === undefined ||
      hopByHop.has(name) ||
      listedInConnection?.has(name) === true ||
      name.startsWith('x-strata-') ||
      (ownTraceContext && (name === 'traceparent' || name === 'tracestate'))
    )
      continue;
    headers[name] = value;
  }
  headers['x-request-id'] = requestId;
  const forwardedFor = req.headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? 'unknown';
  headers['x-forwarded-for'] = typeof forwardedFor === 'string' ? `${forwardedFor}, ${client}` : client;
  headers['x-forwarded-proto'] = 'http';
  if (req.headers.host !== undefined) headers['x-forwarded-host'] = req.headers.host;
  if (identity !== undefined) {
    headers['x-strata-user-id'] = identity.userId;
    headers['x-strata-roles'] = identity.roles.join(',');
  }
  return headers;
}

/** The upstream's end-to-end headers for the client; its Content-Length stays (the body is streamed as is). */
export function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || (hopByHop.has(name) && name !== 'content-length')) continue;
    out[name] = value;
  }
  return out;
}

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { tracingIsOn } from '@strata/telemetry';
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
 * With tracing on, the client's trace context is not copied: the gateway's own span continues it,
 * and the proxy writes that span's `traceparent` itself (request-trace.ts; two would make both invalid).
 *
 * A flat list of names and values, as undici and node:http both take it: undici then walks the list
 * instead of an object's keys, and no object of request-many keys is built. It reads `req.headers`,
 * not `req.rawHeaders`: node:http has built that object before the request reaches the gateway
 * (its Host and Expect checks read it), and its merging of repeated headers (a second
 * Authorization dropped, Cookie lines joined) is what the upstream must see.
 */
export function forwardHeaders(
  req: IncomingMessage,
  requestId: string,
  identity: Identity | undefined,
): string[] {
  const headers: string[] = [];
  const ownTraceContext = tracingIsOn();
  const incoming = req.headers;
  const connection = incoming.connection;
  // Most requests list nothing but keep-alive/close in Connection: no set to build then.
  const listedInConnection =
    connection === undefined || hopByHop.has(connection.toLowerCase())
      ? undefined
      : new Set(connection.split(',').map((name) => name.trim().toLowerCase()));
  for (const name in incoming) {
    const value = incoming[name];
    if (
      value === undefined ||
      hopByHop.has(name) ||
      listedInConnection?.has(name) === true ||
      name.startsWith('x-strata-') ||
      name === 'x-request-id' ||
      name === 'x-forwarded-for' ||
      (ownTraceContext && (name === 'traceparent' || name === 'tracestate'))
    )
      continue;
    if (typeof value === 'string') headers.push(name, value);
    else for (const each of value) headers.push(name, each);
  }
  headers.push('x-request-id', requestId);
  const forwardedFor = incoming['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? 'unknown';
  headers.push('x-forwarded-for', forwardedFor === undefined ? client : `${forwardedFor}, ${client}`);
  headers.push('x-forwarded-proto', 'http');
  if (incoming.host !== undefined) headers.push('x-forwarded-host', incoming.host);
  if (identity !== undefined)
    headers.push('x-strata-user-id', identity.userId, 'x-strata-roles', identity.roles.join(','));
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

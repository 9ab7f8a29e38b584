import type { IncomingMessage, Server } from 'node:http';

/*
 * A server that makes its own HTTP spans (the gateway, ADR 0041) when it shares a process with
 * servers that OpenTelemetry's instrumentations trace (`npm start`): the instrumentations leave
 * its requests, and the upstream requests it sends, to it, so no request gets two spans.
 */
const serversWithOwnSpans = new WeakSet<object>();

/** Marks `server`: its requests are traced by its own code, never by the http instrumentation. */
export function tracesItsOwnRequests(server: Server): void {
  serversWithOwnSpans.add(server);
}

/** For the http instrumentation's ignore hook: a request to a server marked above. */
export function isRequestWithOwnSpan(request: IncomingMessage): boolean {
  const server = (request.socket as { server?: object } | null)?.server;
  return server !== undefined && serversWithOwnSpans.has(server);
}

/**
 * For the undici instrumentation's ignore hook: an outgoing request that already carries a
 * `traceparent` was given it by a sender that traces the request itself (the gateway's proxy).
 * undici keeps a request's headers as a flat name/value list, or as one string on older versions.
 */
export function carriesTraceContext(headers: unknown): boolean {
  if (typeof headers === 'string') return /(?:^|\r\n)traceparent:/i.test(headers);
  if (!Array.isArray(headers)) return false;
  for (let index = 0; index < headers.length; index += 2) {
    const name: unknown = headers[index];
    if (typeof name === 'string' && name.toLowerCase() === 'traceparent') return true;
  }
  return false;
}

import { randomUUID } from 'node:crypto';
import type { Context, Span } from '@opentelemetry/api';
import type { GatewayRequest, GatewayResponse } from './http-surface.ts';
import type { Route } from './route-file.ts';
import type { Identity } from './token-verifier.ts';
import type { UpstreamInstance } from './upstream-pool.ts';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
const exchangeSlot = Symbol('exchange');

interface CarriesExchange {
  [exchangeSlot]?: Exchange;
}

/**
 * The exchange of a response, for listeners shared by every request (the response's 'close'),
 * which then need no closure of their own per request.
 */
export function exchangeOf(res: GatewayResponse): Exchange | undefined {
  return (res as CarriesExchange)[exchangeSlot];
}

/**
 * One request on its way through the plugins: what the plugins learnt so far (the route, the
 * caller, the body) and what they add to the answer. A class with every field set in the
 * constructor, so every exchange has one shape and the hot path stays monomorphic.
 */
export class Exchange {
  readonly req: GatewayRequest;
  readonly res: GatewayResponse;
  /** The client's `x-request-id` when it is a sane token, else a fresh one; echoed on every answer. */
  readonly requestId: string;
  readonly started = performance.now();
  /** Headers the plugins add to whatever is answered: the proxied response or a problem. */
  readonly responseHeaders: Record<string, string> = {};
  /** The checked path (no query) and the query with its `?`, once the request target passed. */
  path = '';
  query = '';
  route: Route | undefined = undefined;
  /** The verified caller, on routes with the auth plugin. */
  identity: Identity | undefined = undefined;
  body: Buffer | undefined = undefined;
  /** The instance of the current (or last) proxy attempt. */
  upstream: UpstreamInstance | undefined = undefined;
  /**
   * Aborts the current proxy attempt: the client left, or a draining gateway ended its stream (a
   * late head is the upstream pool's timeout, ADR 0073).
   */
  attemptAbort: { abort(): void } | undefined = undefined;
  /** The status of the upstream's response head, 0 until one arrived. */
  headStatus = 0;
  clientGone = false;
  /** A WebSocket upgrade's first bytes after the request head, for the upstream. */
  upgradeHead: Buffer | undefined = undefined;
  /** With tracing on, the request's server span and the context it makes (request-trace.ts). */
  span: Span | undefined = undefined;
  traceContext: Context | undefined = undefined;
  /**
   * With tracing on, instead of a span: the request's unsampled `traceparent`, sent upstream as it
   * came; the caller's (ADR 0068), or one made for a new trace the gateway did not sample (ADR 0077).
   */
  callerTraceparent: string | undefined = undefined;

  constructor(req: GatewayRequest, res: GatewayResponse) {
    this.req = req;
    this.res = res;
    const incoming = req.headers['x-request-id'];
    this.requestId =
      typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    (res as CarriesExchange)[exchangeSlot] = this;
  }
}

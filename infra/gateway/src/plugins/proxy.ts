import type { Logger } from 'pino';
import type { Exchange } from '../exchange.ts';
import type { GatewayMetrics } from '../gateway-metrics.ts';
import type { LoadedRoutes } from '../loaded-routes.ts';
import { problem, type Problem } from '../problem.ts';
import { judgeAttemptFailure, UncountedFailure, type AttemptResult } from '../upstream-failure.ts';
import type { UpstreamInstance } from '../upstream-pool.ts';
import { ProxyAttempt, type HeadListener } from '../proxy-attempt.ts';
import { recordAttempt, sendTraceContextUpstream } from '../request-trace.ts';
import { forwardHeaders } from './forwarded-headers.ts';
import { ANSWERED, type GatewayPlugin, type Verdict } from './plugin.ts';

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** The path the upstream is asked for: the route's prefix stripped as the route says, the query kept. */
export function upstreamPath(exchange: Exchange): string {
  const route = exchange.route!;
  const stripped = route.stripPrefix === true ? route.prefix : route.stripPrefix || '/';
  return (exchange.path.slice(stripped === '/' ? 0 : stripped.length) || '/') + exchange.query;
}

/**
 * The proxy phase: forwards the request to an instance of the route's service that the upstream
 * pool picks, streams the answer back, and on a failure the upstream is to blame for tries
 * another instance (up to the route's retries; a non-idempotent request only when it never
 * reached the failed one).
 */
export class ProxyPlugin implements GatewayPlugin {
  readonly name = 'proxy';
  readonly #routes: LoadedRoutes;
  readonly #metrics: GatewayMetrics;
  readonly #logger: Logger;
  /** Told of every attempt's response head; one function for all requests. */
  readonly #onHead: HeadListener;

  constructor(routes: LoadedRoutes, metrics: GatewayMetrics, logger: Logger) {
    this.#routes = routes;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#onHead = (exchange, statusCode) => {
      exchange.headStatus = statusCode;
      const entry = exchange.upstream!;
      // Here, not once the body is through: the response's close may end the request span first.
      if (exchange.span !== undefined) recordAttempt(exchange, entry, statusCode);
      this.#metrics
        .attempts(entry.instance.service, entry.instance.id, statusCode >= 500 ? 'error' : 'ok')
        .inc();
    };
  }

  async proxy(exchange: Exchange): Promise<Verdict> {
    const route = exchange.route!;
    const pool = this.#routes.pools.get(route.service);
    if (pool === undefined)
      return problem(503, 'no-upstream', 'Service Unavailable', `service ${route.service} has no instances`);
    const method = exchange.req.method ?? 'GET';
    const idempotent = idempotentMethods.has(method);
    const path = upstreamPath(exchange);
    const headers = forwardHeaders(
      exchange.req,
      exchange.requestId,
      exchange.identity,
      exchange.span !== undefined,
    );
    if (exchange.span !== undefined || exchange.callerTraceparent !== undefined)
      sendTraceContextUpstream(exchange, headers);
    let tried: Set<string> | undefined;
    let failure: Problem | undefined;
    for (let attempt = 0; attempt <= route.retries; attempt += 1) {
      if (exchange.clientGone) return ANSWERED;
      const entry = pool.pick(tried);
      if (entry === undefined) break;
      exchange.upstream = entry;
      let result: AttemptResult;
      entry.pending += 1;
      try {
        result = await entry.breaker.execute(
          () => this.#send(exchange, entry, method, path, headers),
          entry.instance.id,
        );
      } catch (error) {
        if (!(error instanceof UncountedFailure)) throw error;
        if (error.failure === undefined) return ANSWERED;
        this.#logger[error.failure.blame === 'client' ? 'info' : 'error'](
          { requestId: exchange.requestId, upstream: entry.instance.id, error: error.failure.reason },
          `proxy attempt failed by the ${error.failure.blame}'s fault; not counted against the upstream`,
        );
        return error.failure.problem;
      } finally {
        entry.pending -= 1;
      }
      pool.settled(entry, result);
      if (typeof result === 'number') return ANSWERED;
      (tried ??= new Set()).add(entry.instance.id);
      failure = result.problem;
      if (!(result.retryable && (idempotent || result.neverSent))) return failure;
    }
    if (exchange.clientGone) return ANSWERED;
    return (
      failure ??
      problem(
        503,
        'no-healthy-upstream',
        'Service Unavailable',
        `no healthy instance of ${route.service} is available; retry shortly`,
      )
    );
  }

  /** One attempt: the head's status once the body is streamed, the upstream's failure, or UncountedFailure. */
  async #send(
    exchange: Exchange,
    entry: UpstreamInstance,
    method: string,
    path: string,
    headers: Record<string, string | string[]>,
  ): Promise<AttemptResult> {
    const timeoutMs = exchange.route!.timeoutMs;
    exchange.headStatus = 0;
    try {
      // A dispatch handler of our own writes the upstream body straight into the client response
      // (no intermediate Readable, no per-request AbortController or AsyncResource): see
      // proxy-attempt.ts and ADR 0037.
      return await new Promise<number>((resolve, reject) => {
        const attempt = new ProxyAttempt(exchange, this.#onHead, resolve, reject);
        exchange.attemptAbort = attempt;
        entry.pool.dispatch(
          {
            method,
            path,
            headers,
            body: exchange.body ?? null,
            // A stream is quiet between heartbeats for longer than any request should take.
            bodyTimeout: exchange.route!.streaming ? 0 : timeoutMs,
            // On the pool's sweep, as the body's: no timer of its own per attempt.
            headTimeout: timeoutMs,
          },
          attempt,
        );
      });
    } catch (caught) {
      if (exchange.span !== undefined) recordAttempt(exchange, entry, caught as Error);
      return this.#failed(exchange, entry, caught as NodeJS.ErrnoException);
    } finally {
      exchange.attemptAbort = undefined;
    }
  }

  #failed(exchange: Exchange, entry: UpstreamInstance, error: NodeJS.ErrnoException): AttemptResult {
    // Once a head came, its status is what the breaker counts, whatever became of the body.
    if (exchange.clientGone) {
      if (exchange.headStatus !== 0) return exchange.headStatus;
      throw new UncountedFailure(undefined);
    }
    if (exchange.res.headersSent) {
      // The head is gone to the client: nothing can be retried or replaced, only cut short.
      this.#logger.warn(
        { requestId: exchange.requestId, upstream: entry.instance.id, error: error.message },
        'upstream response broke mid-body; the client connection is closed',
      );
      exchange.res.destroy();
      if (exchange.headStatus !== 0) return exchange.headStatus;
      throw new UncountedFailure(undefined);
    }
    const outcome = judgeAttemptFailure(error, entry.instance.service, entry.instance.id);
    if (outcome.blame !== 'upstream') throw new UncountedFailure(outcome);
    this.#metrics
      .attempts(entry.instance.service, entry.instance.id, outcome.timedOut ? 'timeout' : 'error')
      .inc();
    return outcome;
  }
}

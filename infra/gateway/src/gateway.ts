import { randomUUID } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import type { ServiceRegistry } from '@strata/rpc';
import { problemType } from '@strata/shared-kernel';
import { pino, type Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { jobQueuesReport, type JobQueueView } from './admin-job-queues.ts';
import { adminTokenMatches } from './admin-token.ts';
import { answerClientError } from './client-error.ts';
import { applyCors } from './cors.ts';
import { continueIfAwaited, handleExpect, refuseUnmetExpectation } from './expect-handling.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import { problem, sendProblem, type Problem } from './problem.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { RateLimitStoreUnavailable } from './redis-rate-limiter.ts';
import { readBody } from './request-body.ts';
import { checkRequestTarget } from './request-path.ts';
import {
  loadRouteFile,
  parseRouteFileText,
  type Route,
  type RouteFile,
  type RouteFileResult,
} from './route-file.ts';
import { RouteTable } from './route-table.ts';
import { TokenVerifier, type Identity, type TokenVerifierOptions } from './token-verifier.ts';
import { judgeAttemptFailure } from './upstream-failure.ts';
import { UpstreamPool, type HealthCheckOptions } from './upstream-pool.ts';

export interface GatewayOptions {
  readonly registry: ServiceRegistry;
  readonly routesPath: string;
  readonly rateLimiter: RateLimiter;
  readonly adminToken: string;
  /** Needed as soon as one route has an auth plugin; a route file asking for auth without it is refused. */
  readonly auth?: TokenVerifierOptions;
  readonly host?: string;
  readonly port?: number;
  readonly adminHost?: string;
  readonly adminPort?: number;
  readonly health?: Partial<HealthCheckOptions>;
  /** Node's header limit; larger request heads are answered 431 before any routing. */
  readonly maxHeaderBytes?: number;
  /** How long stop() lets in-flight requests finish before cutting connections. */
  readonly drainTimeoutMs?: number;
  readonly watchRoutes?: boolean;
  readonly logger?: Logger;
  /**
   * Paths the gateway answers itself instead of proxying (the static docs site at `/docs`): matched
   * after the path-traversal check and before the route table, with no auth or rate limit.
   */
  readonly localMounts?: readonly LocalMount[];
  /**
   * The data services' job queues by service name, read (never changed) by `GET /jobs` on the
   * admin API: queue depth and the latest failures (ADR 0010). The caller owns and closes them.
   */
  readonly jobQueues?: Readonly<Record<string, JobQueueView>>;
}

export interface LocalMount {
  /** A path prefix without a trailing slash, e.g. '/docs'. */
  readonly prefix: string;
  readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const hopByHop = new Set([
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
  // A request to this hop: answered here (expect-handling.ts), and undici refuses to send it.
  'expect',
]);
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

interface Exchange {
  readonly requestId: string;
  route: Route | undefined;
  upstream: string | undefined;
  userId: string | undefined;
  responseHeaders: Record<string, string>;
}

/**
 * The edge: matches a route from the route file, runs its plugins (CORS, auth, rate limit, body
 * limit) and proxies to a healthy instance of the route's service as the registry lists it.
 */
export class Gateway {
  readonly #options: GatewayOptions;
  readonly #logger: Logger;
  readonly #metrics = new GatewayMetrics();
  readonly #verifier: TokenVerifier | undefined;
  readonly #pools = new Map<string, UpstreamPool>();
  readonly #health: HealthCheckOptions;
  readonly #server: Server;
  readonly #admin: Server;
  #table: RouteTable | undefined;
  #revision = 0;
  #lastRefused: { at: string; errors: readonly string[] } | undefined;
  #watcher: FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;
  #reloading: Promise<RouteFileResult> = Promise.resolve({ ok: false, errors: ['not loaded yet'] });
  #stopping = false;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#logger = options.logger ?? pino({ name: 'gateway' });
    this.#verifier = options.auth === undefined ? undefined : new TokenVerifier(options.auth);
    this.#health = {
      path: options.health?.path ?? '/health',
      intervalMs: options.health?.intervalMs ?? 2_000,
      timeoutMs: options.health?.timeoutMs ?? 1_000,
      failureThreshold: options.health?.failureThreshold ?? 3,
    };
    this.#server = createServer({ maxHeaderSize: options.maxHeaderBytes ?? 16_384 }, (req, res) => {
      void this.#handle(req, res);
    });
    handleExpect(this.#server, (req, res) => void this.#handle(req, res));
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
      answerClientError(error, socket, options.maxHeaderBytes ?? 16_384),
    );
    this.#admin = createServer((req, res) => {
      void this.#handleAdmin(req, res);
    });
  }

  /** Loads the route file (refusing to start on a bad one), watches the registry and listens. */
  async start(): Promise<{ url: string; adminUrl: string }> {
    const result = await this.reloadRoutes();
    if (!result.ok)
      throw new Error(`route file ${this.#options.routesPath} is invalid: ${result.errors.join('; ')}`);
    if (this.#options.watchRoutes ?? true) {
      // The directory, not the file: editors and deploys replace the file by rename.
      this.#watcher = watch(dirname(this.#options.routesPath), (_event, filename) => {
        if (filename !== null && filename !== basename(this.#options.routesPath)) return;
        clearTimeout(this.#reloadTimer);
        this.#reloadTimer = setTimeout(() => void this.reloadRoutes(), 50);
      });
    }
    const url = await listen(this.#server, this.#options.host ?? '127.0.0.1', this.#options.port ?? 0);
    const adminUrl = await listen(
      this.#admin,
      this.#options.adminHost ?? '127.0.0.1',
      this.#options.adminPort ?? 0,
    );
    this.#logger.info({ url, adminUrl, routes: this.#table?.file.routes.length }, 'gateway listening');
    return { url, adminUrl };
  }

  /** Bumped on every accepted route file. */
  get routesRevision(): number {
    return this.#revision;
  }

  /** Re-reads the route file; a bad file is refused with its errors logged and the old routes stay. */
  reloadRoutes(): Promise<RouteFileResult> {
    this.#reloading = this.#reloading.then(async () => {
      const result = this.#checkAuthAvailable(await loadRouteFile(this.#options.routesPath));
      if (!result.ok) {
        this.#lastRefused = { at: new Date().toISOString(), errors: result.errors };
        this.#logger.error(
          { routesPath: this.#options.routesPath, errors: result.errors, keptRevision: this.#revision },
          'route file refused; the gateway keeps serving the previous routes',
        );
        return result;
      }
      await this.#apply(result.file);
      return result;
    });
    return this.#reloading;
  }

  /** Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes pools. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#watcher?.close();
    clearTimeout(this.#reloadTimer);
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    const drainTimer = setTimeout(
      () => this.#server.closeAllConnections(),
      this.#options.drainTimeoutMs ?? 10_000,
    );
    await closed;
    clearTimeout(drainTimer);
    await new Promise<void>((resolve) => {
      this.#admin.close(() => resolve());
      this.#admin.closeAllConnections();
    });
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
    this.#pools.clear();
  }

  #checkAuthAvailable(result: RouteFileResult): RouteFileResult {
    if (!result.ok || this.#verifier !== undefined) return result;
    const errors = result.file.routes.flatMap((route, index) =>
      route.plugins.auth === undefined
        ? []
        : [`routes.${index}.plugins.auth: this gateway has no JWKS configured (STRATA_GATEWAY_JWKS_URL)`],
    );
    return errors.length === 0 ? result : { ok: false, errors };
  }

  async #apply(file: RouteFile): Promise<void> {
    const table = new RouteTable(file);
    const wanted = table.services();
    for (const service of wanted) {
      if (this.#pools.has(service)) continue;
      const pool = new UpstreamPool(service, this.#health, this.#logger);
      await pool.start(this.#options.registry);
      this.#pools.set(service, pool);
    }
    // In-flight requests hold their own route and pool references, so swapping drops nothing.
    this.#table = table;
    this.#revision += 1;
    for (const [service, pool] of this.#pools) {
      if (wanted.has(service)) continue;
      this.#pools.delete(service);
      void pool.close();
    }
    this.#logger.info(
      { revision: this.#revision, routes: file.routes.map((route) => route.name) },
      'routes loaded',
    );
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const incomingId = req.headers['x-request-id'];
    const exchange: Exchange = {
      requestId:
        typeof incomingId === 'string' && requestIdPattern.test(incomingId) ? incomingId : randomUUID(),
      route: undefined,
      upstream: undefined,
      userId: undefined,
      responseHeaders: {},
    };
    res.on('close', () => {
      const route = exchange.route?.name ?? 'none';
      const status = res.statusCode;
      const durationMs = performance.now() - started;
      this.#metrics.count(route, req.method ?? 'UNKNOWN', status, durationMs / 1000);
      if (!this.#logger.isLevelEnabled('info')) return;
      this.#logger.info(
        {
          requestId: exchange.requestId,
          method: req.method,
          url: req.url,
          route,
          status,
          durationMs: Math.round(durationMs * 100) / 100,
          upstream: exchange.upstream,
          userId: exchange.userId,
          completed: res.writableFinished,
        },
        'request',
      );
    });
    try {
      const refused = await this.#serve(req, res, exchange);
      if (refused !== undefined) this.#refuse(req, res, exchange, refused);
    } catch (error) {
      this.#logger.error(
        { requestId: exchange.requestId, error: (error as Error).stack },
        'gateway failed to proxy the request',
      );
      this.#refuse(
        req,
        res,
        exchange,
        problem(
          502,
          'proxy-failure',
          'Bad Gateway',
          'the gateway could not complete the request; see its log under this request id',
        ),
      );
    }
  }

  #refuse(req: IncomingMessage, res: ServerResponse, exchange: Exchange, value: Problem): void {
    // A request whose body we will not read must not leave bytes on a kept-alive connection.
    if (!req.complete) res.setHeader('connection', 'close');
    sendProblem(res, value, exchange.requestId, exchange.responseHeaders);
  }

  /** Answers a problem to refuse the request, or undefined once it has been proxied. */
  async #serve(req: IncomingMessage, res: ServerResponse, exchange: Exchange): Promise<Problem | undefined> {
    if (this.#stopping)
      return problem(
        503,
        'shutting-down',
        'Service Unavailable',
        'this gateway instance is shutting down; retry',
      );
    const unmet = refuseUnmetExpectation(req);
    if (unmet !== undefined) return unmet;
    const target = checkRequestTarget(req.url ?? '');
    if (!target.ok) return problem(400, 'bad-path', 'Bad Request', target.reason);
    const mount = this.#options.localMounts?.find(
      ({ prefix }) => target.path === prefix || target.path.startsWith(`${prefix}/`),
    );
    if (mount !== undefined) {
      mount.handler(req, res);
      return undefined;
    }
    const route = this.#table?.match(target.path);
    if (route === undefined) return problem(404, 'no-route', 'Not Found', `no route serves ${target.path}`);
    exchange.route = route;
    const method = req.method ?? 'GET';

    const cors = applyCors(req, res, route, exchange.requestId, exchange.responseHeaders);
    if (cors.kind === 'refused') return cors.problem;
    if (cors.kind === 'preflight-answered') return undefined;

    const declaredLength = req.headers['content-length'];
    if (declaredLength !== undefined && Number(declaredLength) > route.bodyLimitBytes) {
      return problem(
        413,
        'body-too-large',
        'Content Too Large',
        `the body is ${declaredLength} bytes; route ${route.name} accepts at most ${route.bodyLimitBytes}`,
      );
    }

    let identity: Identity | undefined;
    if (route.plugins.auth !== undefined) {
      const verified = await this.#verifier!.verify(req.headers.authorization);
      if (!verified.ok) return verified.problem;
      identity = verified.identity;
      exchange.userId = identity.userId;
      const missing = route.plugins.auth.roles.filter((role) => !identity!.roles.includes(role));
      if (missing.length > 0) {
        return problem(
          403,
          'missing-role',
          'Forbidden',
          `route ${route.name} needs role(s) ${missing.join(', ')}`,
        );
      }
    }

    const rateLimit = route.plugins.rateLimit;
    if (rateLimit !== undefined) {
      const consumer =
        identity !== undefined ? `user:${identity.userId}` : `ip:${req.socket.remoteAddress ?? 'unknown'}`;
      let decision;
      try {
        decision = await this.#options.rateLimiter.consume(`${route.name}:${consumer}`, {
          limit: rateLimit.limit,
          periodMs: rateLimit.periodSeconds * 1000,
        });
      } catch (error) {
        if (error instanceof RateLimitStoreUnavailable) {
          return problem(
            503,
            'rate-limit-store-down',
            'Service Unavailable',
            'the rate-limit store is unreachable and this gateway fails closed; retry later',
          );
        }
        throw error;
      }
      exchange.responseHeaders['ratelimit-limit'] = String(decision.limit);
      exchange.responseHeaders['ratelimit-remaining'] = String(decision.remaining);
      exchange.responseHeaders['ratelimit-reset'] = String(Math.ceil(decision.resetMs / 1000));
      if (!decision.allowed) {
        const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        return problem(
          429,
          'rate-limited',
          'Too Many Requests',
          `route ${route.name} allows ${decision.limit} requests per ${rateLimit.periodSeconds} s; retry after ${retryAfter} s`,
          {
            'retry-after': String(retryAfter),
          },
        );
      }
    }

    continueIfAwaited(req, res);
    const body = await readBody(req, route.bodyLimitBytes);
    if (body === 'too-large') {
      return problem(
        413,
        'body-too-large',
        'Content Too Large',
        `route ${route.name} accepts bodies of at most ${route.bodyLimitBytes} bytes`,
      );
    }

    const stripped = route.stripPrefix === true ? route.prefix : route.stripPrefix || '/';
    const upstreamPath = (target.path.slice(stripped === '/' ? 0 : stripped.length) || '/') + target.query;
    const headers = forwardHeaders(req, exchange.requestId, identity);
    return this.#proxy(res, exchange, route, method, upstreamPath, headers, body);
  }

  async #proxy(
    res: ServerResponse,
    exchange: Exchange,
    route: Route,
    method: string,
    path: string,
    headers: Record<string, string | string[]>,
    body: Buffer | undefined,
  ): Promise<Problem | undefined> {
    const pool = this.#pools.get(route.service);
    if (pool === undefined)
      return problem(503, 'no-upstream', 'Service Unavailable', `service ${route.service} has no instances`);
    const idempotent = idempotentMethods.has(method);
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const tried = new Set<string>();
    let failure: Problem | undefined;
    for (let attempt = 0; attempt <= route.retries; attempt += 1) {
      const entry = pool.pick(tried);
      if (entry === undefined) break;
      tried.add(entry.instance.id);
      exchange.upstream = entry.instance.id;
      // Our own timer for the response head: undici's headersTimeout runs on a coarse clock and
      // can fire up to a second late.
      const attemptAbort = new AbortController();
      const clientGone = () => attemptAbort.abort();
      abort.signal.addEventListener('abort', clientGone, { once: true });
      let headTimedOut = false;
      const headTimer = setTimeout(() => {
        headTimedOut = true;
        attemptAbort.abort();
      }, route.timeoutMs);
      try {
        // stream() writes the upstream body straight into the client response (no intermediate
        // Readable), which is most of the difference to request() + pipeline() under load.
        await entry.pool.stream(
          {
            method: method as Dispatcher.HttpMethod,
            path,
            headers,
            body: body ?? null,
            bodyTimeout: route.timeoutMs,
            signal: attemptAbort.signal,
          },
          ({ statusCode, headers: upstreamHeaders }) => {
            clearTimeout(headTimer);
            this.#metrics
              .attempts(route.service, entry.instance.id, statusCode >= 500 ? 'error' : 'ok')
              .inc();
            if (statusCode >= 500) pool.reportFailure(entry, `answered ${statusCode}`, false);
            else pool.reportSuccess(entry);
            res.writeHead(statusCode, {
              ...responseHeaders(upstreamHeaders as IncomingHttpHeaders),
              ...exchange.responseHeaders,
              'x-request-id': exchange.requestId,
            });
            return res;
          },
        );
      } catch (caught) {
        if (abort.signal.aborted) return undefined;
        const error = headTimedOut
          ? Object.assign(new Error(`no response head within ${route.timeoutMs} ms`), {
              code: 'UND_ERR_HEADERS_TIMEOUT',
            })
          : caught;
        if (res.headersSent) {
          // The head is gone to the client: nothing can be retried or replaced, only cut short.
          this.#logger.warn(
            { requestId: exchange.requestId, upstream: entry.instance.id, error: (error as Error).message },
            'upstream response broke mid-body; the client connection is closed',
          );
          res.destroy();
          return undefined;
        }
        const outcome = judgeAttemptFailure(error as NodeJS.ErrnoException, pool.service, entry.instance.id);
        const reason = `${outcome.code ?? 'error'}: ${(error as Error).message}`;
        if (outcome.blame === 'upstream') {
          this.#metrics
            .attempts(pool.service, entry.instance.id, outcome.timedOut ? 'timeout' : 'error')
            .inc();
          pool.reportFailure(entry, reason, outcome.conclusive);
        } else {
          this.#logger[outcome.blame === 'client' ? 'info' : 'error'](
            { requestId: exchange.requestId, upstream: entry.instance.id, error: reason },
            `proxy attempt failed by the ${outcome.blame}'s fault; not counted against the upstream`,
          );
        }
        failure = outcome.problem;
        if (outcome.retryable && (idempotent || outcome.neverSent)) continue;
        return failure;
      } finally {
        clearTimeout(headTimer);
        abort.signal.removeEventListener('abort', clientGone);
      }
      return undefined;
    }
    if (abort.signal.aborted) return undefined;
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

  async #handleAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://admin');
    if (url.pathname === '/health') return json(res, 200, { status: this.#stopping ? 'stopping' : 'ok' });
    if (!adminTokenMatches(req.headers.authorization, this.#options.adminToken)) {
      return sendProblem(
        res,
        problem(
          401,
          'admin-auth',
          'Unauthorized',
          'the admin API needs "Authorization: Bearer <admin token>"',
          { 'www-authenticate': 'Bearer' },
        ),
        requestId,
      );
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /routes') {
      return json(res, 200, {
        revision: this.#revision,
        lastRefused: this.#lastRefused ?? null,
        file: this.#table?.file ?? null,
      });
    }
    if (route === 'GET /upstreams') {
      return json(
        res,
        200,
        Object.fromEntries([...this.#pools].map(([service, pool]) => [service, pool.views()])),
      );
    }
    if (route === 'GET /metrics') {
      const text = await this.#metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.#metrics.registry.contentType });
      return void res.end(text);
    }
    if (route === 'GET /jobs') return json(res, 200, await jobQueuesReport(this.#options.jobQueues ?? {}));
    if (route === 'POST /routes/validate') {
      const text = await readBody(req, 1_048_576);
      if (text === 'too-large')
        return sendProblem(
          res,
          problem(413, 'body-too-large', 'Content Too Large', 'a route file may be at most 1 MiB'),
          requestId,
        );
      const result = this.#checkAuthAvailable(parseRouteFileText(text?.toString('utf8') ?? ''));
      if (result.ok) return json(res, 200, { valid: true, routes: result.file.routes.map((r) => r.name) });
      const body = JSON.stringify({
        type: problemType('invalid-route-file'),
        title: 'Invalid route file',
        status: 422,
        detail: result.errors.join('; '),
        instance: `urn:strata:request:${requestId}`,
        errors: result.errors,
      });
      res.writeHead(422, { 'content-type': 'application/problem+json' });
      return void res.end(body);
    }
    return sendProblem(
      res,
      problem(
        404,
        'no-admin-route',
        'Not Found',
        `the admin API has no ${route}; try GET /routes, GET /upstreams, GET /metrics, GET /jobs, POST /routes/validate`,
      ),
      requestId,
    );
  }
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve(`http://${host}:${address.port}`);
    });
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Copies end-to-end headers; identity headers come only from the verified token, never the client. */
function forwardHeaders(
  req: IncomingMessage,
  requestId: string,
  identity: Identity | undefined,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const listedInConnection = new Set(
    (req.headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()),
  );
  for (const [name, value] of Object.entries(req.headers as IncomingHttpHeaders)) {
    if (
      value === undefined ||
      hopByHop.has(name) ||
      listedInConnection.has(name) ||
      name.startsWith('x-strata-')
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

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || (hopByHop.has(name) && name !== 'content-length')) continue;
    out[name] = value;
  }
  return out;
}

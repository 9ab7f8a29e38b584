import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { JobQueueView } from './admin-job-queues.ts';
import type { AddressInfo, Socket } from 'node:net';
import type { ServiceRegistry } from '@strata/rpc';
import { pino, type Logger } from 'pino';
import { answerClientError } from '@strata/runtime/client-error';
import { Exchange, exchangeOf } from './exchange.ts';
import type { Registry } from 'prom-client';
import { tracesItsOwnRequests, tracingIsOn } from '@strata/telemetry';
import { GatewayMetrics } from './gateway-metrics.ts';
import { LoadedRoutes } from './loaded-routes.ts';
import { lingerOnClose } from './lingering-close.ts';
import { AccessLogPlugin } from './plugins/access-log.ts';
import { AdminApi } from './plugins/admin.ts';
import { AuthPlugin } from './plugins/auth.ts';
import { BodyReaderPlugin, DeclaredBodyLimitPlugin } from './plugins/body-limit.ts';
import { CorsPlugin } from './plugins/cors.ts';
import { DrainingPlugin } from './plugins/draining.ts';
import { ExpectPlugin, handleExpect } from './plugins/expect.ts';
import { LocalMountsPlugin, mountOf, type LocalMount } from './plugins/local-mounts.ts';
import { FrontLane } from './front-lane.ts';
import type { GatewayRequest, GatewayResponse } from './http-surface.ts';
import { Pipeline } from './plugins/pipeline.ts';
import { ANSWERED, type GatewayPlugin } from './plugins/plugin.ts';
import { OpenStreamsPlugin } from './plugins/open-streams.ts';
import { ProxyPlugin } from './plugins/proxy.ts';
import { RateLimitPlugin } from './plugins/rate-limit.ts';
import { RequestTargetPlugin } from './plugins/request-target.ts';
import { RoutingPlugin } from './plugins/routing.ts';
import { UpgradeAccessPlugin, WebSocketTunnelPlugin } from './plugins/websocket-tunnel.ts';
import { problem, sendProblem, type Problem } from './problem.ts';
import { endRequestSpan, inRequestSpan, startRequestSpan } from './request-trace.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { RouteFileResult } from './route-file.ts';
import { TokenVerifier, type TokenVerifierOptions } from './token-verifier.ts';
import type { HealthCheckOptions } from './upstream-pool.ts';

export type { LocalMount } from './plugins/local-mounts.ts';

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
  /**
   * The process's metrics registry, when the gateway shares its process (`npm start`): its series
   * join the others' and the process's default metrics are not collected twice. Left out, its own.
   */
  readonly metrics?: Registry;
}

const proxyFailure = problem(
  502,
  'proxy-failure',
  'Bad Gateway',
  'the gateway could not complete the request; see its log under this request id',
);

/**
 * The edge: every request goes through one pipeline of plugins (plugins/plugin.ts has the phases),
 * in this order, each of which may refuse or answer it:
 *
 * draining → expect → request-target → local-mounts → routing → open-streams → cors →
 * declared-body-limit → auth → rate-limit → body-reader → proxy; then access-log once the response
 * closes.
 *
 * A WebSocket upgrade takes its own pipeline of the same plugins, as far as they apply to a request
 * without a body: draining → request-target → routing → websocket-upgrade (streaming routes only;
 * a browser's `bearer.<jwt>` subprotocol as its token) → cors → auth → rate-limit →
 * websocket-tunnel; access-log when the socket closes.
 *
 * The order is the contract: the path is checked before anything reads it, CORS answers a
 * preflight before auth (a browser sends none with it), an oversized body is refused before a
 * token check or a Redis trip, the rate limit keys on the identity auth found, and a client
 * waiting on 100-continue sends its body only once all of them let it through.
 */
export class Gateway {
  readonly #options: GatewayOptions;
  readonly #logger: Logger;
  readonly #verifier: TokenVerifier | undefined;
  readonly #routes: LoadedRoutes;
  readonly #draining = new DrainingPlugin();
  readonly #pipeline: Pipeline;
  readonly #upgrades: Pipeline;
  readonly #openStreams = new OpenStreamsPlugin();
  readonly #tunnel: WebSocketTunnelPlugin;
  readonly #server: Server;
  readonly #front: FrontLane;
  readonly #admin: Server;
  /** One 'close' listener for every response; it finds the request's exchange on the response. */
  readonly #onClose: (this: GatewayResponse) => void;

  constructor(options: GatewayOptions) {
    this.#options = options;
    const logger = (this.#logger = options.logger ?? pino({ name: 'gateway' }));
    this.#verifier = options.auth === undefined ? undefined : new TokenVerifier(options.auth);
    const check = (result: RouteFileResult) => this.#checkAuthAvailable(result);
    this.#routes = new LoadedRoutes({
      routesPath: options.routesPath,
      registry: options.registry,
      logger,
      check,
      health: {
        path: options.health?.path ?? '/health',
        intervalMs: options.health?.intervalMs ?? 2_000,
        timeoutMs: options.health?.timeoutMs ?? 1_000,
        failureThreshold: options.health?.failureThreshold ?? 3,
      },
    });
    const metrics = new GatewayMetrics(options.metrics);
    metrics.watchUpstreams(this.#routes.pools);
    const plugins: GatewayPlugin[] = [this.#draining, new ExpectPlugin(), new RequestTargetPlugin()];
    if (options.localMounts !== undefined && options.localMounts.length > 0)
      plugins.push(new LocalMountsPlugin(options.localMounts));
    const routing = new RoutingPlugin(this.#routes);
    const cors = new CorsPlugin();
    const auth = new AuthPlugin(this.#verifier);
    const rateLimit = new RateLimitPlugin(options.rateLimiter);
    const accessLog = new AccessLogPlugin(metrics, logger);
    plugins.push(
      routing,
      this.#openStreams,
      cors,
      new DeclaredBodyLimitPlugin(),
      auth,
      rateLimit,
      new BodyReaderPlugin(),
      new ProxyPlugin(this.#routes, metrics, logger),
      accessLog,
    );
    const pipeline = (this.#pipeline = new Pipeline(plugins));
    this.#tunnel = new WebSocketTunnelPlugin(this.#routes, logger);
    this.#upgrades = new Pipeline([
      this.#draining,
      new RequestTargetPlugin(),
      routing,
      new UpgradeAccessPlugin(),
      cors,
      auth,
      rateLimit,
      this.#tunnel,
      accessLog,
    ]);
    this.#onClose = function (this: GatewayResponse) {
      const exchange = exchangeOf(this)!;
      if (!this.writableFinished) {
        exchange.clientGone = true;
        exchange.attemptAbort?.abort();
      }
      pipeline.closed(exchange);
      if (exchange.span !== undefined) endRequestSpan(exchange);
    };
    const maxHeaderBytes = options.maxHeaderBytes ?? 16_384;
    const serve = (req: GatewayRequest, res: GatewayResponse) => void this.#handle(req, res);
    const server = (this.#server = createServer({ maxHeaderSize: maxHeaderBytes }, serve));
    const mounts = options.localMounts ?? [];
    this.#front = new FrontLane(server, {
      serve,
      maxHeaderBytes,
      leavesPath: (path) => mountOf(path, mounts) !== undefined,
      keepAliveTimeoutMs: server.keepAliveTimeout,
      firstRequestTimeoutMs: server.headersTimeout,
    });
    tracesItsOwnRequests(this.#server);
    handleExpect(this.#server, serve);
    this.#server.on(
      'upgrade',
      (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.#upgrade(req, socket, head),
    );
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
      answerClientError(error, socket, maxHeaderBytes),
    );
    const admin = new AdminApi({
      token: options.adminToken,
      routes: this.#routes,
      metrics,
      draining: this.#draining,
      check,
      jobQueues: options.jobQueues ?? {},
    });
    this.#admin = createServer((req, res) => void admin.handle(req, res));
  }

  /** Loads the route file (refusing to start on a bad one), watches the registry and listens. */
  async start(): Promise<{ url: string; adminUrl: string }> {
    const result = await this.reloadRoutes();
    if (!result.ok)
      throw new Error(`route file ${this.#options.routesPath} is invalid: ${result.errors.join('; ')}`);
    if (this.#options.watchRoutes ?? true) this.#routes.watch();
    const url = await listen(this.#server, this.#options.host ?? '127.0.0.1', this.#options.port ?? 0);
    const adminUrl = await listen(
      this.#admin,
      this.#options.adminHost ?? '127.0.0.1',
      this.#options.adminPort ?? 0,
    );
    this.#logger.info(
      { url, adminUrl, routes: this.#routes.table?.file.routes.length, plugins: this.#pipeline.order },
      'gateway listening',
    );
    return { url, adminUrl };
  }

  /** Bumped on every accepted route file. */
  get routesRevision(): number {
    return this.#routes.revision;
  }

  /** Re-reads the route file; a bad file is refused with its errors logged and the old routes stay. */
  reloadRoutes(): Promise<RouteFileResult> {
    return this.#routes.reload();
  }

  /** Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes pools. */
  async stop(): Promise<void> {
    this.#draining.stopping = true;
    this.#routes.unwatch();
    // Long-lived streams would hold the drain to its timeout: their clients reconnect elsewhere.
    this.#openStreams.endAll();
    this.#tunnel.closeAll();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    this.#front.closeIdle();
    const drainTimer = setTimeout(() => {
      this.#server.closeAllConnections();
      this.#front.closeAll();
    }, this.#options.drainTimeoutMs ?? 10_000);
    await closed;
    clearTimeout(drainTimer);
    await new Promise<void>((resolve) => {
      this.#admin.close(() => resolve());
      this.#admin.closeAllConnections();
    });
    await this.#routes.close();
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

  async #handle(req: GatewayRequest, res: GatewayResponse): Promise<void> {
    const exchange = new Exchange(req, res);
    res.on('close', this.#onClose);
    if (tracingIsOn()) startRequestSpan(exchange);
    try {
      const verdict = await inRequestSpan(exchange, () => this.#pipeline.run(exchange));
      if (verdict !== undefined && verdict !== ANSWERED) refuse(exchange, verdict);
    } catch (error) {
      this.#logger.error(
        { requestId: exchange.requestId, error: (error as Error).stack },
        'gateway failed to proxy the request',
      );
      refuse(exchange, proxyFailure);
    }
  }

  /**
   * A WebSocket upgrade through its pipeline. Refusals are written as problems on the socket through
   * a response of its own (no other request follows on an upgrade's socket, so it ends after it).
   */
  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    res.once('finish', () => socket.end());
    socket.on('error', () => socket.destroy());
    const exchange = new Exchange(req, res);
    exchange.upgradeHead = head;
    socket.once('close', () => this.#upgrades.closed(exchange));
    try {
      const verdict = await this.#upgrades.run(exchange);
      if (verdict !== undefined && verdict !== ANSWERED)
        sendProblem(res, verdict, exchange.requestId, exchange.responseHeaders);
    } catch (error) {
      this.#logger.error(
        { requestId: exchange.requestId, error: (error as Error).stack },
        'gateway failed to tunnel the WebSocket upgrade',
      );
      sendProblem(res, proxyFailure, exchange.requestId);
    }
  }
}

function refuse(exchange: Exchange, value: Problem): void {
  // A request whose body we will not read must not leave bytes on a kept-alive connection; and its
  // client, still sending, must get to read this answer before the connection closes.
  if (!exchange.req.complete) {
    exchange.res.setHeader('connection', 'close');
    lingerOnClose(exchange.req.socket);
  }
  sendProblem(exchange.res, value, exchange.requestId, exchange.responseHeaders);
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

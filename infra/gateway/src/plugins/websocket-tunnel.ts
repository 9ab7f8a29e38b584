import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Exchange } from '../exchange.ts';
import type { LoadedRoutes } from '../loaded-routes.ts';
import { problem } from '../problem.ts';
import { forwardHeaders, responseHeaders } from './forwarded-headers.ts';
import { ANSWERED, type GatewayPlugin, type Verdict } from './plugin.ts';
import { upstreamPath } from './proxy.ts';

const BEARER_PROTOCOL = /^bearer\.([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * A WebSocket upgrade's access check before auth: only a streaming route tunnels upgrades; and a
 * browser, which cannot set Authorization on a WebSocket, may offer its access token as the
 * subprotocol `bearer.<jwt>`, which the auth plugin then verifies like the header (never a token
 * in the URL, which access logs keep).
 */
export class UpgradeAccessPlugin implements GatewayPlugin {
  readonly name = 'websocket-upgrade';

  access(exchange: Exchange): Verdict {
    const route = exchange.route!;
    if (!route.streaming)
      return problem(
        400,
        'upgrade-not-allowed',
        'Bad Request',
        `route ${route.name} does not serve WebSockets; only streaming routes do`,
      );
    const headers = exchange.req.headers;
    if (headers.authorization === undefined) {
      for (const offered of (headers['sec-websocket-protocol'] ?? '').split(',')) {
        const match = BEARER_PROTOCOL.exec(offered.trim());
        if (match !== null) {
          headers.authorization = `Bearer ${match[1]}`;
          break;
        }
      }
    }
    return undefined;
  }
}

/**
 * The proxy phase of a WebSocket upgrade: asks an instance of the route's service for the same
 * upgrade and, once it answers 101, joins the two sockets byte for byte until either side closes.
 * An upstream's refusal (401, 429…) reaches the client as it was answered. No retry: an upgrade
 * is not repeated behind the client's back.
 */
export class WebSocketTunnelPlugin implements GatewayPlugin {
  readonly name = 'websocket-tunnel';
  readonly #routes: LoadedRoutes;
  readonly #logger: Logger;
  /** Open tunnels' client sockets, cut when the gateway stops (clients reconnect to another). */
  readonly #open = new Set<Socket>();

  constructor(routes: LoadedRoutes, logger: Logger) {
    this.#routes = routes;
    this.#logger = logger;
  }

  proxy(exchange: Exchange): Promise<Verdict> {
    const route = exchange.route!;
    const entry = this.#routes.pools.get(route.service)?.pick(undefined);
    if (entry === undefined)
      return Promise.resolve(
        problem(503, 'no-healthy-upstream', 'Service Unavailable', `no healthy instance of ${route.service}`),
      );
    exchange.upstream = entry;
    const headers = forwardHeaders(exchange.req, exchange.requestId, exchange.identity, false);
    headers['connection'] = 'Upgrade';
    headers['upgrade'] = exchange.req.headers.upgrade ?? 'websocket';
    return new Promise<Verdict>((resolve) => {
      const upstream = request(`${entry.origin}${upstreamPath(exchange)}`, {
        method: 'GET',
        headers,
        timeout: route.timeoutMs,
      });
      upstream.on('upgrade', (answer: IncomingMessage, socket: Socket, head: Buffer) => {
        this.#join(exchange, answer, socket, head);
        resolve(ANSWERED);
      });
      upstream.on('response', (answer: IncomingMessage) => {
        exchange.res.writeHead(answer.statusCode ?? 502, {
          ...responseHeaders(answer.headers),
          ...exchange.responseHeaders,
          'x-request-id': exchange.requestId,
        });
        // An upgrade is node:http's (the front lane hands it over): its response is node's.
        answer.pipe(exchange.res as ServerResponse);
        resolve(ANSWERED);
      });
      upstream.on('timeout', () => upstream.destroy(new Error(`no answer within ${route.timeoutMs} ms`)));
      upstream.on('error', (error) => {
        this.#logger.warn(
          { requestId: exchange.requestId, upstream: entry.instance.id, error: error.message },
          'WebSocket upgrade to the upstream failed',
        );
        resolve(
          problem(
            502,
            'upstream-failed',
            'Bad Gateway',
            `the upgrade to ${route.service} failed: ${error.message}`,
          ),
        );
      });
      upstream.end();
    });
  }

  /** Cuts every open tunnel: the gateway is stopping. */
  closeAll(): void {
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }

  #join(exchange: Exchange, answer: IncomingMessage, upstream: Socket, head: Buffer): void {
    const client = exchange.req.socket;
    const lines = ['HTTP/1.1 101 Switching Protocols'];
    for (let index = 0; index < answer.rawHeaders.length; index += 2)
      lines.push(`${answer.rawHeaders[index]}: ${answer.rawHeaders[index + 1]}`);
    lines.push(`x-request-id: ${exchange.requestId}`);
    client.write(`${lines.join('\r\n')}\r\n\r\n`);
    exchange.res.statusCode = 101;
    if (head.length > 0) client.write(head);
    if (exchange.upgradeHead !== undefined && exchange.upgradeHead.length > 0)
      upstream.write(exchange.upgradeHead);
    for (const socket of [client, upstream]) {
      socket.setTimeout(0);
      socket.setNoDelay(true);
    }
    this.#open.add(client);
    const end = () => {
      this.#open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
    upstream.pipe(client);
    client.pipe(upstream);
  }
}

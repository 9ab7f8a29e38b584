import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemType } from '@strata/shared-kernel';
import { jobQueuesReport, type JobQueueView } from '../admin-job-queues.ts';
import { adminTokenMatches } from '../admin-token.ts';
import type { GatewayMetrics } from '../gateway-metrics.ts';
import type { LoadedRoutes } from '../loaded-routes.ts';
import { problem, sendProblem } from '../problem.ts';
import { readBody } from '../request-body.ts';
import { parseRouteFileText, type RouteFileResult } from '../route-file.ts';
import type { DrainingPlugin } from './draining.ts';

export interface AdminApiOptions {
  readonly token: string;
  readonly routes: LoadedRoutes;
  readonly metrics: GatewayMetrics;
  readonly draining: DrainingPlugin;
  /** The same check a reload applies, so validate answers what a reload would do. */
  readonly check: (result: RouteFileResult) => RouteFileResult;
  /** The data services' job queues, read by `GET /jobs` (ADR 0010). */
  readonly jobQueues: Readonly<Record<string, JobQueueView>>;
}

/**
 * The admin port: an unauthenticated liveness probe, and behind the admin token the route file in
 * force, the upstream instances with their health, the metrics, the data services' job queues, and a
 * dry run of a route file.
 */
export class AdminApi {
  readonly #options: AdminApiOptions;

  constructor(options: AdminApiOptions) {
    this.#options = options;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { token, routes, metrics, draining } = this.#options;
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://admin');
    if (url.pathname === '/health') return json(res, 200, { status: draining.stopping ? 'stopping' : 'ok' });
    if (!adminTokenMatches(req.headers.authorization, token)) {
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
        revision: routes.revision,
        lastRefused: routes.lastRefused ?? null,
        file: routes.table?.file ?? null,
      });
    }
    if (route === 'GET /upstreams') {
      return json(
        res,
        200,
        Object.fromEntries([...routes.pools].map(([service, pool]) => [service, pool.views()])),
      );
    }
    if (route === 'GET /metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      return void res.end(text);
    }
    if (route === 'GET /jobs') return json(res, 200, await jobQueuesReport(this.#options.jobQueues));
    if (route === 'POST /routes/validate') return this.#validate(req, res, requestId);
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

  async #validate(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const text = await readBody(req, 1_048_576);
    if (text === 'too-large')
      return sendProblem(
        res,
        problem(413, 'body-too-large', 'Content Too Large', 'a route file may be at most 1 MiB'),
        requestId,
      );
    const result = this.#options.check(parseRouteFileText(text?.toString('utf8') ?? ''));
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
    res.end(body);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

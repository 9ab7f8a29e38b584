import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Registry } from 'prom-client';
import { LabelledChildren } from './labelled-children.ts';
import { LeanHistogram } from './lean-histogram.ts';
import { metricOf } from './process-metrics.ts';

const HTTP_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Times every request an application service answers:
 * `strata_http_server_request_duration_seconds{service, method, route, status}`, by the route's
 * template (`/courses/:courseId`, never the path, so ids do not explode the series; `unmatched`
 * when no route took it). Call it before the app listens: NestJS registers its routes then.
 */
export function meterHttpRoutes(app: NestFastifyApplication, service: string, registry: Registry): void {
  const histogram = metricOf(
    registry,
    'strata_http_server_request_duration_seconds',
    () =>
      new LeanHistogram({
        name: 'strata_http_server_request_duration_seconds',
        help: 'HTTP requests answered, by service, method, route template and status',
        buckets: HTTP_SECONDS_BUCKETS,
        registry,
      }),
  );
  const children = new LabelledChildren((method, route, status) =>
    histogram.cell({ service, method, route, status }),
  );
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      children
        .get(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
        .observe(reply.elapsedTime / 1000);
      done();
    });
}

import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Readiness } from './metrics/readiness.ts';

/**
 * A process's internal port (STRATA_HEALTH_PORT), never its public one: `/health/live` answers
 * while the process runs, `/health/ready` while it should be given work — its readiness checks
 * pass and it is not stopping — and `/metrics` the Prometheus text of its registry. Its RPC port
 * speaks mutual TLS and msgpack and its public HTTP port faces users, neither of which a kubelet
 * or a Prometheus should touch. On Kubernetes that readiness is what takes the pod out of the
 * EndpointSlices the callers discover instances from; with etcd the data service withdraws its
 * registration while unready (serve-data-service.ts).
 */
export interface AdminListener {
  readonly port: number;
  /** From now on `/health/ready` answers 503. */
  markStopping(): void;
  close(): Promise<void>;
}

export async function listenAdmin(options: {
  host: string;
  port: number;
  service: string;
  /** Without it the process is ready until it starts stopping. */
  readiness?: Readiness;
  /** Without it `/metrics` is 404. */
  metrics?: Registry;
}): Promise<AdminListener> {
  const { readiness, metrics, service } = options;
  let stopping = false;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, body: object) =>
      response
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, { status: 'method-not-allowed' });
    } else if (path === '/health/live') {
      send(200, { status: 'ok', service });
    } else if (path === '/health/ready') {
      if (stopping) send(503, { status: 'stopping', service });
      else if (readiness === undefined) send(200, { status: 'ready', service });
      else {
        const report = readiness.report;
        send(report.ready ? 200 : 503, { status: report.status, service, checks: report.checks });
      }
    } else if (path === '/metrics' && metrics !== undefined) {
      metrics.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
        (error: Error) => send(500, { status: 'metrics-failed', detail: error.message }),
      );
    } else {
      send(404, { status: 'not-found' });
    }
  });
  // Probes and scrapes come one at a time and never keep a connection worth waiting for at shutdown.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : options.port,
    markStopping() {
      stopping = true;
      readiness?.markStopping();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

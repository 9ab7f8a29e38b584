import { createServer, type Server } from 'node:http';

/**
 * A data service's probes, on a port of their own (its RPC port speaks mutual TLS and msgpack,
 * which no kubelet does): `/health/live` answers while the process runs, `/health/ready` while it
 * serves and 503 from the moment it starts stopping, so an orchestrator stops sending calls before
 * the RPC listener drains. On Kubernetes that readiness is what takes the pod out of the
 * EndpointSlices the callers discover instances from: it is the deregistration.
 */
export interface HealthListener {
  readonly port: number;
  /** From now on `/health/ready` answers 503. */
  markStopping(): void;
  close(): Promise<void>;
}

export async function listenHealth(options: {
  host: string;
  port: number;
  service: string;
}): Promise<HealthListener> {
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
      send(200, { status: 'ok', service: options.service });
    } else if (path === '/health/ready') {
      send(stopping ? 503 : 200, { status: stopping ? 'stopping' : 'ready', service: options.service });
    } else {
      send(404, { status: 'not-found' });
    }
  });
  // Probes come one at a time and never keep a connection worth waiting for at shutdown.
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
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

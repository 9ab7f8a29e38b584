import { createServer, type Server } from 'node:http';
import { parseServiceInstance, type ServiceInstance } from '@strata/rpc';
import { scrapeTargetsPrefix } from '@strata/runtime/plain-process';
import { Etcd3 } from 'etcd3';

/** One group of Prometheus HTTP service discovery: https://prometheus.io/docs/prometheus/latest/http_sd/ */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** The gateway's /metrics is behind its admin token, so it is a scrape job of its own. */
export type ScrapeJob = 'services' | 'gateway';

/**
 * The scrape targets the processes announced in etcd (`registerScrapeTarget`), read when Prometheus
 * asks: no hand-kept list, and a process that started or died a moment ago is in or out at the
 * next refresh. Served over HTTP as Prometheus' HTTP service discovery expects, one path per job.
 */
export class ScrapeTargets {
  readonly #client: Etcd3;
  readonly #prefix: string;
  #server: Server | undefined;

  constructor(options: { etcdHosts: string[]; servicesPrefix?: string }) {
    this.#client = new Etcd3({ hosts: options.etcdHosts, dialTimeout: 2_000 });
    this.#prefix = `${scrapeTargetsPrefix(options.servicesPrefix)}/`;
  }

  /** Every announced admin port, whatever its job. */
  async instances(): Promise<ServiceInstance[]> {
    const response = await this.#client.getAll().prefix(this.#prefix).exec();
    return response.kvs.flatMap((kv) => {
      try {
        return [parseServiceInstance(JSON.parse(kv.value.toString()), `etcd key ${kv.key.toString()}`)];
      } catch {
        return [];
      }
    });
  }

  async groups(job: ScrapeJob): Promise<TargetGroup[]> {
    const instances = (await this.instances()).filter(
      (instance) => (instance.service === 'gateway') === (job === 'gateway'),
    );
    return instances.map((instance) => ({
      targets: [`${instance.host}:${instance.port}`],
      labels: { service: instance.service, instance_id: instance.id },
    }));
  }

  /** Serves `/targets/services` and `/targets/gateway` on `host:port` (0 picks one); answers its URL. */
  async listen(host = '127.0.0.1', port = 0): Promise<string> {
    const server = (this.#server = createServer((request, response) => {
      const job = /^\/targets\/(services|gateway)$/.exec(request.url ?? '')?.[1] as ScrapeJob | undefined;
      if (job === undefined) return void response.writeHead(404).end();
      this.groups(job).then(
        (groups) =>
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(groups)),
        // Prometheus keeps the last targets it had when discovery fails, rather than dropping them all.
        (error: Error) => response.writeHead(503, { 'content-type': 'text/plain' }).end(error.message),
      );
    }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return `http://${host}:${typeof address === 'object' && address !== null ? address.port : port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.#client.close();
  }
}

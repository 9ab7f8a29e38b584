import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EtcdRegistry, type RegistryLogger } from '@strata/rpc';

/**
 * Where processes announce their admin port to Prometheus: beside the services' prefix
 * (`/strata/services` → `/strata/scrape-targets`), never inside it, so no caller ever takes an
 * admin port for a service's. It is a registration of its own, kept while the process lives:
 * an instance that leaves the services' registry because it is unready stays scraped, which is
 * when its figures matter most.
 */
export function scrapeTargetsPrefix(servicesPrefix = '/strata/services'): string {
  return `${servicesPrefix.replace(/\/services$/, '')}/scrape-targets`;
}

/** Registers `host:port` as the process's scrape target; close the answer to withdraw it. */
export async function registerScrapeTarget(options: {
  service: string;
  host: string;
  port: number;
  etcdHosts: string[];
  servicesPrefix?: string;
  leaseTtlSeconds?: number;
  logger: RegistryLogger;
}): Promise<{ close(): Promise<void> }> {
  const registry = new EtcdRegistry({
    hosts: options.etcdHosts,
    prefix: scrapeTargetsPrefix(options.servicesPrefix),
    logger: options.logger,
    ...(options.leaseTtlSeconds === undefined ? {} : { leaseTtlSeconds: options.leaseTtlSeconds }),
  });
  try {
    await registry.register({
      id: `${options.service}-${hostname()}-${randomUUID().slice(0, 8)}`,
      service: options.service,
      host: options.host,
      port: options.port,
    });
  } catch (error) {
    await registry.close();
    throw error;
  }
  return registry;
}

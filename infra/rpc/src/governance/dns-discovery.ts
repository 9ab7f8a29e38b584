import { Resolver } from 'node:dns/promises';
import type { RegistryLogger } from './etcd-registry.ts';
import { parseServiceInstance, type ServiceInstance } from './service-instance.ts';
import type { InstancesListener } from './service-registry.ts';

/*
 * Discovery from the SRV records of a headless Service (`_<port>._tcp.<service>.<namespace>.svc.<domain>`),
 * for clusters where pods get no API token. DNS has no watch, so it is polled.
 */

export interface DnsDiscoveryOptions {
  portNames: readonly string[];
  tls: boolean;
  clusterDomain: string;
  dnsServers?: string[] | undefined;
  dnsPollMs: number;
}

export class DnsDiscovery {
  readonly #options: DnsDiscoveryOptions;
  readonly #namespace: () => Promise<string>;
  readonly #logger: RegistryLogger;

  constructor(options: DnsDiscoveryOptions, namespace: () => Promise<string>, logger: RegistryLogger) {
    this.#options = options;
    this.#namespace = namespace;
    this.#logger = logger;
  }

  async instances(service: string): Promise<ServiceInstance[]> {
    const resolver = new Resolver({ timeout: 2_000, tries: 2 });
    if (this.#options.dnsServers !== undefined) resolver.setServers(this.#options.dnsServers);
    const namespace = await this.#namespace();
    const name = `${service}.${namespace}.svc.${this.#options.clusterDomain}`;
    for (const portName of this.#options.portNames) {
      let records;
      try {
        records = await resolver.resolveSrv(`_${portName}._tcp.${name}`);
      } catch (error) {
        // No such port on this Service: try the next name; no such Service, no instances.
        if (
          (error as NodeJS.ErrnoException).code === 'ENOTFOUND' ||
          (error as NodeJS.ErrnoException).code === 'ENODATA'
        )
          continue;
        throw error;
      }
      const instances = await Promise.all(
        records.map(async (record) => {
          const addresses = await resolver.resolve4(record.name).catch(() => resolver.resolve6(record.name));
          return addresses.map((host) =>
            parseServiceInstance(
              { id: record.name.split('.')[0]!, service, host, port: record.port, tls: this.#options.tls },
              `DNS SRV _${portName}._tcp.${name}`,
            ),
          );
        }),
      );
      return instances.flat().sort((a, b) => a.id.localeCompare(b.id));
    }
    return [];
  }

  async watch(service: string, listener: InstancesListener): Promise<() => void> {
    let last = JSON.stringify(await this.instances(service).then((found) => (listener(found), found)));
    let failing = false;
    const timer = setInterval(() => {
      this.instances(service).then(
        (found) => {
          failing = false;
          const key = JSON.stringify(found);
          if (key !== last) {
            last = key;
            listener(found);
          }
        },
        (error: Error) => {
          if (!failing)
            this.#logger.warn(
              { service, error: error.message },
              'DNS discovery failed; keeping the last answer',
            );
          failing = true;
        },
      );
    }, this.#options.dnsPollMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

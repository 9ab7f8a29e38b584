import { parseServiceInstance, type ServiceInstance, type ServiceInstanceInput } from './service-instance.ts';
import type { InstancesListener, Registration, ServiceRegistry } from './service-registry.ts';

/**
 * A fixed list from config, for setups without etcd. Membership never changes at run time;
 * a server may still call register (the bootstrap is the same in every mode), and is told at
 * once if config does not name it, because nobody would ever route to it.
 */
export class StaticRegistry implements ServiceRegistry {
  readonly #instances: readonly ServiceInstance[];

  constructor(instances: readonly ServiceInstanceInput[]) {
    this.#instances = instances.map((instance, index) =>
      parseServiceInstance(instance, `static registry config [${index}]`),
    );
    const seen = new Set<string>();
    for (const instance of this.#instances) {
      const key = `${instance.service}/${instance.id}`;
      if (seen.has(key)) throw new Error(`static registry config lists instance ${key} twice`);
      seen.add(key);
    }
  }

  async register(input: ServiceInstanceInput): Promise<Registration> {
    const instance = parseServiceInstance(input, 'static registry registration');
    const known = this.#instances.find(
      (candidate) => candidate.service === instance.service && candidate.id === instance.id,
    );
    if (known === undefined) {
      throw new Error(
        `instance ${instance.id} of ${instance.service} is not in the static registry config; add it there or use the etcd registry`,
      );
    }
    return { instance: known, deregister: async () => {} };
  }

  async instances(service: string): Promise<ServiceInstance[]> {
    return this.#instances.filter((instance) => instance.service === service);
  }

  async watch(service: string, listener: InstancesListener): Promise<() => void> {
    listener(await this.instances(service));
    return () => {};
  }

  async close(): Promise<void> {}
}

import { parseServiceInstance, type ServiceInstance, type ServiceInstanceInput } from './service-instance.ts';
import type { InstancesListener, Registration, ServiceRegistry } from './service-registry.ts';

/** Embedded mode: every service lives in this process, so the registry is a map. */
export class InProcessRegistry implements ServiceRegistry {
  readonly #instances = new Map<string, Map<string, ServiceInstance>>();
  readonly #listeners = new Map<string, Set<InstancesListener>>();

  async register(input: ServiceInstanceInput): Promise<Registration> {
    const instance = parseServiceInstance(input, 'in-process registration');
    const byId = this.#instances.get(instance.service) ?? new Map<string, ServiceInstance>();
    if (byId.has(instance.id)) {
      throw new Error(
        `instance ${instance.id} of ${instance.service} is already registered; give each instance its own id`,
      );
    }
    byId.set(instance.id, instance);
    this.#instances.set(instance.service, byId);
    this.#notify(instance.service);
    return {
      instance,
      deregister: async () => {
        if (byId.delete(instance.id)) this.#notify(instance.service);
      },
    };
  }

  async instances(service: string): Promise<ServiceInstance[]> {
    return [...(this.#instances.get(service)?.values() ?? [])];
  }

  async watch(service: string, listener: InstancesListener): Promise<() => void> {
    const listeners = this.#listeners.get(service) ?? new Set<InstancesListener>();
    listeners.add(listener);
    this.#listeners.set(service, listeners);
    listener(await this.instances(service));
    return () => {
      listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#instances.clear();
    this.#listeners.clear();
  }

  #notify(service: string): void {
    const snapshot = [...(this.#instances.get(service)?.values() ?? [])];
    for (const listener of this.#listeners.get(service) ?? []) listener(snapshot);
  }
}

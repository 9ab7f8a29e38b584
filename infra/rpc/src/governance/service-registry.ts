import type { ServiceInstance, ServiceInstanceInput } from './service-instance.ts';

/** Called with the full current set of a service's instances: first at once, then on every join or leave. */
export type InstancesListener = (instances: readonly ServiceInstance[]) => void;

/** A live registration; ending it removes the instance so callers stop choosing it. */
export interface Registration {
  readonly instance: ServiceInstance;
  deregister(): Promise<void>;
}

/**
 * Where instances announce themselves and callers find them. Implementations: static (config),
 * in-process (embedded mode) and etcd (distributed mode, leases and watches).
 */
export interface ServiceRegistry {
  register(instance: ServiceInstanceInput): Promise<Registration>;
  instances(service: string): Promise<ServiceInstance[]>;
  /**
   * Resolves once the listener has received the current set, so a caller never routes on an
   * empty view that merely hasn't loaded yet. Resolves to the function that stops watching.
   */
  watch(service: string, listener: InstancesListener): Promise<() => void>;
  /** Deregisters what this registry registered and stops every watch. */
  close(): Promise<void>;
}

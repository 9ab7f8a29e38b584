import { z } from '@strata/shared-kernel';
import { DnsDiscovery } from './dns-discovery.ts';
import { EndpointSliceDiscovery } from './endpoint-slice-discovery.ts';
import type { RegistryLogger } from './etcd-registry.ts';
import { KubernetesApi, podNamespace, SERVICE_ACCOUNT } from './kubernetes-api.ts';
import { parseServiceInstance, type ServiceInstance, type ServiceInstanceInput } from './service-instance.ts';
import type { InstancesListener, Registration, ServiceRegistry } from './service-registry.ts';

/*
 * Discovery on Kubernetes, where the cluster already knows every instance: a Service selects a
 * service's pods and its readiness probe admits or drops each one. Two ways to read that:
 *  - endpointslices: list and watch the Service's EndpointSlices through the API (needs a token
 *    allowed to get/list/watch them); changes arrive as they happen;
 *  - dns: the SRV records of a headless Service (`_<port>._tcp.<service>.<namespace>.svc.<domain>`),
 *    polled, for clusters where pods get no API token.
 * Registering is a no-op: the kubelet and the endpoint controller do it, from the readiness probe.
 */

const optionsSchema = z.object({
  discovery: z.enum(['endpointslices', 'dns']),
  /** Defaults to the pod's own namespace (the service account's namespace file). */
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    .optional(),
  /** The API server; in a pod, from KUBERNETES_SERVICE_HOST/PORT. http:// only for `kubectl proxy` and tests. */
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  tokenFile: z.string().min(1).default(`${SERVICE_ACCOUNT}/token`),
  caFile: z.string().min(1).default(`${SERVICE_ACCOUNT}/ca.crt`),
  /** The Service port an instance is reached on, the first one a slice has: data services name it rpc, HTTP apps http. */
  portNames: z.array(z.string().min(1)).min(1).default(['rpc', 'http']),
  /** Whether instances listen with mutual TLS (data services) or not (application services, to the gateway). */
  tls: z.boolean().default(false),
  clusterDomain: z.string().min(1).default('cluster.local'),
  /** DNS servers as host:port; the system's when unset. */
  dnsServers: z.array(z.string().min(1)).optional(),
  /** How often DNS answers are asked again (DNS has no watch). */
  dnsPollMs: z.number().int().min(100).default(5_000),
  /** Wait before a broken watch is opened again; doubles up to 16 times this. */
  retryMs: z.number().int().min(10).default(500),
});

export type KubernetesRegistryOptions = z.input<typeof optionsSchema> & { logger?: RegistryLogger };

export class KubernetesRegistry implements ServiceRegistry {
  readonly #discovery: EndpointSliceDiscovery | DnsDiscovery;
  readonly #stops = new Set<() => void>();

  constructor(options: KubernetesRegistryOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`invalid Kubernetes registry options: ${reasons.join('; ')}`);
    }
    const settings = parsed.data;
    const logger = options.logger ?? { warn: (details, message) => console.warn(message, details) };
    // Read once, when first needed: a pod's namespace does not change, and outside a pod the
    // error surfaces on the first discovery call rather than at construction.
    let found: Promise<string> | undefined;
    const namespace = () => (found ??= podNamespace(settings.namespace));
    this.#discovery =
      settings.discovery === 'dns'
        ? new DnsDiscovery(settings, namespace, logger)
        : new EndpointSliceDiscovery(new KubernetesApi(settings, namespace), settings, logger);
  }

  /** The cluster registers pods (Service selector + readiness probe); nothing to do, nothing to undo. */
  async register(input: ServiceInstanceInput): Promise<Registration> {
    const instance = parseServiceInstance(input, 'Kubernetes registration');
    return { instance, deregister: async () => {} };
  }

  async instances(service: string): Promise<ServiceInstance[]> {
    return this.#discovery.instances(service);
  }

  async watch(service: string, listener: InstancesListener): Promise<() => void> {
    const stop = await this.#discovery.watch(service, listener);
    this.#stops.add(stop);
    return () => {
      this.#stops.delete(stop);
      stop();
    };
  }

  async close(): Promise<void> {
    for (const stop of this.#stops) stop();
    this.#stops.clear();
  }
}

import { readFile } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from '@strata/shared-kernel';
import type { RegistryLogger } from './etcd-registry.ts';
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

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

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

/** The part of a discovery.k8s.io/v1 EndpointSlice discovery reads; checked, since it crosses a boundary. */
const endpointSliceSchema = z.object({
  metadata: z.object({ name: z.string().min(1) }),
  addressType: z.string(),
  endpoints: z
    .array(
      z.object({
        addresses: z.array(z.string().min(1)).min(1),
        conditions: z.object({ ready: z.boolean().nullish() }).optional(),
        targetRef: z.object({ name: z.string().min(1) }).optional(),
      }),
    )
    .nullish(),
  ports: z.array(z.object({ name: z.string().nullish(), port: z.number().int().nullish() })).nullish(),
});
type EndpointSlice = z.output<typeof endpointSliceSchema>;

const sliceListSchema = z.object({
  metadata: z.object({ resourceVersion: z.string() }),
  items: z.array(endpointSliceSchema),
});
const watchEventSchema = z.object({
  type: z.enum(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']),
  object: z.record(z.string(), z.unknown()),
});

export class KubernetesRegistry implements ServiceRegistry {
  readonly #options: z.output<typeof optionsSchema>;
  readonly #logger: RegistryLogger;
  readonly #stops = new Set<() => void>();
  #namespace: Promise<string> | undefined;

  constructor(options: KubernetesRegistryOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`invalid Kubernetes registry options: ${reasons.join('; ')}`);
    }
    this.#options = parsed.data;
    this.#logger = options.logger ?? { warn: (details, message) => console.warn(message, details) };
  }

  /** The cluster registers pods (Service selector + readiness probe); nothing to do, nothing to undo. */
  async register(input: ServiceInstanceInput): Promise<Registration> {
    const instance = parseServiceInstance(input, 'Kubernetes registration');
    return { instance, deregister: async () => {} };
  }

  async instances(service: string): Promise<ServiceInstance[]> {
    return this.#options.discovery === 'dns'
      ? this.#resolve(service)
      : instancesOf(service, (await this.#listSlices(service)).slices, this.#options);
  }

  async watch(service: string, listener: InstancesListener): Promise<() => void> {
    const stop =
      this.#options.discovery === 'dns'
        ? await this.#pollDns(service, listener)
        : await this.#watchSlices(service, listener);
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

  // ---- EndpointSlices ----

  async #watchSlices(service: string, listener: InstancesListener): Promise<() => void> {
    let stopped = false;
    let current: IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const slices = new Map<string, EndpointSlice>();
    const publish = () => listener(instancesOf(service, [...slices.values()], this.#options));
    const relist = async () => {
      const listed = await this.#listSlices(service);
      slices.clear();
      for (const slice of listed.slices) slices.set(slice.metadata.name, slice);
      publish();
      return listed.resourceVersion;
    };
    // The first listing must succeed: a caller must not route on a view that never loaded.
    let resourceVersion = await relist();
    let failures = 0;

    const retry = (reason: string, fresh: boolean) => {
      if (stopped) return;
      if (failures === 0) {
        this.#logger.warn(
          { service, reason },
          'EndpointSlice watch broken; instances may be stale until it reopens',
        );
      }
      const delay = this.#options.retryMs * 2 ** Math.min(failures, 4);
      failures += 1;
      timer = setTimeout(() => {
        const next = fresh ? relist() : Promise.resolve(resourceVersion);
        next.then(
          (version) => {
            resourceVersion = version;
            open();
          },
          (error: Error) => retry(error.message, true),
        );
      }, delay);
    };
    const open = () => {
      if (stopped) return;
      const query = `${this.#slicesQuery(service)}&watch=true&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion)}`;
      this.#get(query).then(
        (response) => {
          if (stopped) return response.destroy();
          if (response.statusCode !== 200) {
            response.resume();
            return retry(`watch answered ${response.statusCode}`, response.statusCode === 410);
          }
          current = response;
          let buffer = '';
          let expired = false;
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let newline = buffer.indexOf('\n');
            while (newline !== -1) {
              const line = buffer.slice(0, newline).trim();
              buffer = buffer.slice(newline + 1);
              newline = buffer.indexOf('\n');
              if (line === '') continue;
              const outcome = this.#applyEvent(service, line, slices);
              if (outcome === 'expired') {
                // 410 Gone: our resourceVersion was compacted away; list afresh, then watch again.
                expired = true;
                response.destroy();
                return;
              }
              if (outcome.resourceVersion !== undefined) resourceVersion = outcome.resourceVersion;
              if (outcome.changed) publish();
              failures = 0;
            }
          });
          response.on('close', () => {
            if (current === response) current = undefined;
            // The API server ends watches after a timeout; reopening from the last version is normal.
            if (expired) retry('resource version expired', true);
            else if (!stopped) open();
          });
        },
        (error: Error) => retry(error.message, false),
      );
    };
    open();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      current?.destroy();
    };
  }

  #applyEvent(
    service: string,
    line: string,
    slices: Map<string, EndpointSlice>,
  ): 'expired' | { changed: boolean; resourceVersion?: string } {
    let event: z.output<typeof watchEventSchema>;
    try {
      event = watchEventSchema.parse(JSON.parse(line));
    } catch (error) {
      this.#logger.warn(
        { service, error: (error as Error).message },
        'ignoring an unreadable EndpointSlice watch event',
      );
      return { changed: false };
    }
    const version = (event.object.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
    const resourceVersion = typeof version === 'string' ? version : undefined;
    if (event.type === 'ERROR') return event.object.code === 410 ? 'expired' : { changed: false };
    if (event.type === 'BOOKMARK') return { changed: false, ...(resourceVersion ? { resourceVersion } : {}) };
    const slice = endpointSliceSchema.safeParse(event.object);
    if (!slice.success) {
      this.#logger.warn({ service, error: slice.error.message }, 'ignoring an unreadable EndpointSlice');
      return { changed: false };
    }
    if (event.type === 'DELETED') slices.delete(slice.data.metadata.name);
    else slices.set(slice.data.metadata.name, slice.data);
    return { changed: true, ...(resourceVersion ? { resourceVersion } : {}) };
  }

  async #listSlices(service: string): Promise<{ slices: EndpointSlice[]; resourceVersion: string }> {
    const response = await this.#get(this.#slicesQuery(service));
    const body = await new Promise<string>((resolve, reject) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(text));
      response.on('error', reject);
    });
    if (response.statusCode !== 200) {
      throw new Error(
        `listing EndpointSlices of ${service} answered ${response.statusCode}: ${body.slice(0, 300)}` +
          (response.statusCode === 403
            ? " (does the pod's service account may list endpointslices? see infra/k8s)"
            : ''),
      );
    }
    const list = sliceListSchema.parse(JSON.parse(body));
    return { slices: list.items, resourceVersion: list.metadata.resourceVersion };
  }

  #slicesQuery(service: string): string {
    return `/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`;
  }

  async #get(pathAndQuery: string): Promise<IncomingMessage> {
    const namespace = await this.#namespaceOf();
    const base = this.#options.apiUrl ?? inClusterApiUrl();
    const url = new URL(pathAndQuery.replace('{namespace}', namespace), base);
    // Bound service account tokens rotate (about hourly): read the file for every request.
    const token = await readFile(this.#options.tokenFile, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
    const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const secure = url.protocol === 'https:';
    const ca = secure ? await readFile(this.#options.caFile) : undefined;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(url, { headers, ...(ca ? { ca } : {}) }, resolve);
      request.on('error', reject);
      request.end();
    });
  }

  #namespaceOf(): Promise<string> {
    this.#namespace ??=
      this.#options.namespace !== undefined
        ? Promise.resolve(this.#options.namespace)
        : readFile(`${SERVICE_ACCOUNT}/namespace`, 'utf8').then(
            (text) => text.trim(),
            () => {
              throw new Error(
                `no Kubernetes namespace: not in a pod (${SERVICE_ACCOUNT}/namespace) and none configured (STRATA_KUBERNETES_NAMESPACE)`,
              );
            },
          );
    return this.#namespace;
  }

  // ---- DNS ----

  async #resolve(service: string): Promise<ServiceInstance[]> {
    const resolver = new Resolver({ timeout: 2_000, tries: 2 });
    if (this.#options.dnsServers !== undefined) resolver.setServers(this.#options.dnsServers);
    const namespace = await this.#namespaceOf();
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

  async #pollDns(service: string, listener: InstancesListener): Promise<() => void> {
    let last = JSON.stringify(await this.#resolve(service).then((found) => (listener(found), found)));
    let failing = false;
    const timer = setInterval(() => {
      this.#resolve(service).then(
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

function inClusterApiUrl(): string {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (host === undefined) {
    throw new Error('not in a Kubernetes pod (no KUBERNETES_SERVICE_HOST) and no API URL configured');
  }
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The ready addresses of a service's slices, on the first port named as asked. */
export function instancesOf(
  service: string,
  slices: readonly EndpointSlice[],
  options: { portNames: readonly string[]; tls: boolean },
): ServiceInstance[] {
  const instances = new Map<string, ServiceInstance>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    const port = options.portNames
      .map((name) => slice.ports?.find((candidate) => candidate.name === name)?.port)
      .find((found) => typeof found === 'number');
    if (port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      // Unknown readiness (null) counts as ready, as the EndpointSlice API tells consumers to.
      if (endpoint.conditions?.ready === false) continue;
      const host = endpoint.addresses[0]!;
      const id = endpoint.targetRef?.name ?? host.replaceAll(/[.:]/g, '-');
      instances.set(
        id,
        parseServiceInstance(
          { id, service, host, port, tls: options.tls },
          `EndpointSlice ${slice.metadata.name}`,
        ),
      );
    }
  }
  return [...instances.values()].sort((a, b) => a.id.localeCompare(b.id));
}

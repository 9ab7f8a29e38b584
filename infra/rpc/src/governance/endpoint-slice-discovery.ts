import type { IncomingMessage } from 'node:http';
import { z } from '@strata/shared-kernel';
import { endpointSliceSchema, instancesOf, type EndpointSlice } from './endpoint-slice.ts';
import type { RegistryLogger } from './etcd-registry.ts';
import type { KubernetesApi } from './kubernetes-api.ts';
import type { ServiceInstance } from './service-instance.ts';
import type { InstancesListener } from './service-registry.ts';

/*
 * Discovery from a Service's EndpointSlices: listed, then watched through the API, so a pod that
 * turns ready or terminating reaches the callers as it happens. A broken watch reopens from the
 * last resourceVersion it saw, with backoff; one whose version was compacted away lists afresh.
 */

const sliceListSchema = z.object({
  metadata: z.object({ resourceVersion: z.string() }),
  items: z.array(endpointSliceSchema),
});
const watchEventSchema = z.object({
  type: z.enum(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']),
  object: z.record(z.string(), z.unknown()),
});

export interface EndpointSliceDiscoveryOptions {
  portNames: readonly string[];
  tls: boolean;
  retryMs: number;
}

export class EndpointSliceDiscovery {
  readonly #api: KubernetesApi;
  readonly #options: EndpointSliceDiscoveryOptions;
  readonly #logger: RegistryLogger;

  constructor(api: KubernetesApi, options: EndpointSliceDiscoveryOptions, logger: RegistryLogger) {
    this.#api = api;
    this.#options = options;
    this.#logger = logger;
  }

  async instances(service: string): Promise<ServiceInstance[]> {
    return instancesOf(service, (await this.#listSlices(service)).slices, this.#options);
  }

  async watch(service: string, listener: InstancesListener): Promise<() => void> {
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
      this.#api.get(query).then(
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
    const response = await this.#api.get(this.#slicesQuery(service));
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
}

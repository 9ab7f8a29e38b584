import { z } from '@strata/shared-kernel';
import { parseServiceInstance, type ServiceInstance } from './service-instance.ts';

/** The part of a discovery.k8s.io/v1 EndpointSlice discovery reads; checked, since it crosses a boundary. */
export const endpointSliceSchema = z.object({
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
export type EndpointSlice = z.output<typeof endpointSliceSchema>;

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

import { labels, selector, type K8sObject } from './k8s-object.ts';
import type { PlatformService } from './platform-services.ts';
import { servicePort } from './ports.ts';

export function service(svc: PlatformService): K8sObject {
  const port = servicePort(svc);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc.name, labels: labels(svc) },
    spec: {
      // Headless for the services callers balance themselves (their registry lists every pod, by
      // EndpointSlices or SRV records); a virtual IP for those an ingress or a browser reaches.
      ...(svc.tier === 'data-service' || svc.tier === 'application-service' ? { clusterIP: 'None' } : {}),
      selector: selector(svc.name),
      ports: [{ name: port.name, port: port.port, targetPort: port.name, protocol: 'TCP' }],
    },
  };
}

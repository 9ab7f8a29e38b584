import type { PlatformService } from './platform-services.ts';

/**
 * A container's readiness, liveness and start-up probes: readiness decides whether the pod takes
 * traffic (and, through the EndpointSlices, whether callers' registries list it); liveness only
 * whether the process itself still answers.
 */
export function probes(service: PlatformService): Record<string, unknown> {
  const http = (path: string, port: string) => ({ httpGet: { path, port } });
  const timing = {
    readiness: { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
    liveness: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    // Start-up connects MariaDB, Kafka (a consumer group join) and Redis: up to two minutes.
    startup: { periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 60 },
  };
  const each = (ready: object, live: object) => ({
    readinessProbe: { ...ready, ...timing.readiness },
    livenessProbe: { ...live, ...timing.liveness },
    startupProbe: { ...live, ...timing.startup },
  });
  switch (service.tier) {
    case 'data-service':
      // Ready turns 503 on SIGTERM, so the EndpointSlice drops the pod before the listener drains.
      return each(http('/health/ready', 'health'), http('/health/live', 'health'));
    case 'application-service':
      // /health checks the data services it calls (readiness); liveness must not restart a pod
      // because a dependency is down, so it asks only that the HTTP app answers.
      return each(http('/health', 'http'), http('/openapi.json', 'http'));
    case 'gateway':
      return each(http('/health', 'admin'), http('/health', 'admin'));
    case 'link-redirect':
      return each(http('/healthz', 'http'), http('/healthz', 'http'));
    case 'payment-simulator':
      // An outside system stood in; it has no health route, a listening port is its liveness.
      return each({ tcpSocket: { port: 'http' } }, { tcpSocket: { port: 'http' } });
  }
}

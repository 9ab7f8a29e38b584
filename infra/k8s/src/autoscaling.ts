import { labels, type K8sObject } from './k8s-object.ts';
import { deployedServices, type Platform, type PlatformService } from './platform-services.ts';

export function horizontalPodAutoscaler(svc: PlatformService): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: svc.name, labels: labels(svc) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name },
      minReplicas: 2,
      maxReplicas: svc.tier === 'gateway' ? 10 : 6,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
      // Scale down slowly: a pod removed drains its calls and SSE streams reconnect elsewhere.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

/** The stateless tiers an HPA scales in prod: they keep no state between requests. */
export function autoscaled(platform: Platform): PlatformService[] {
  return deployedServices(platform).filter((svc) => svc.tier !== 'data-service');
}

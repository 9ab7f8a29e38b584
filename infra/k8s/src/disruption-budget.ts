import { labels, selector, type K8sObject } from './k8s-object.ts';
import type { PlatformService } from './platform-services.ts';

export function podDisruptionBudget(svc: PlatformService): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: svc.name, labels: labels(svc) },
    // One pod at a time: never blocks a node drain at one replica, keeps the rest serving at more.
    spec: { maxUnavailable: 1, selector: { matchLabels: selector(svc.name) } },
  };
}

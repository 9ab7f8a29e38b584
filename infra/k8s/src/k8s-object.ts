import type { PlatformService } from './platform-services.ts';

/*
 * The Kubernetes objects of one release, as plain data: `generate` writes them as the kustomize
 * base, the cert-manager component and the overlays' generated parts. What each process is told
 * mirrors `npm run start:distributed` (scripts/distributed/: the same variables each main.ts
 * documents), with the cluster standing in for what the supervisor did there: Services instead of
 * etcd (STRATA_REGISTRY=kubernetes), Secrets instead of generated certificate files, a Job instead
 * of the `migrate` run before the data services start.
 */

export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Metadata };
interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const labels = (service: PlatformService): Record<string, string> => ({
  'app.kubernetes.io/name': service.name,
  'app.kubernetes.io/component': service.tier,
  'app.kubernetes.io/part-of': 'strata',
});
export const selector = (name: string) => ({ 'app.kubernetes.io/name': name });

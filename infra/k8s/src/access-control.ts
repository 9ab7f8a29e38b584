import type { K8sObject } from './k8s-object.ts';
import type { Tier } from './platform-services.ts';

export const DISCOVERY_ACCOUNT = 'strata-discovery';
export const MIGRATION_READER_ACCOUNT = 'strata-migration-reader';
/** Discovers peers through the Kubernetes API, so it needs a token that may read EndpointSlices. */
const discovers = (tier: Tier) =>
  tier === 'application-service' || tier === 'gateway' || tier === 'link-redirect';

/** The account a tier's pods run as: the one whose Role grants what the tier reads of the API. */
export const serviceAccountOf = (tier: Tier): string =>
  tier === 'data-service' ? MIGRATION_READER_ACCOUNT : discovers(tier) ? DISCOVERY_ACCOUNT : 'default';

/** Read access to EndpointSlices for discovery, and to Jobs for the data services' migration wait. */
export function accessControl(): K8sObject[] {
  const partOf = { 'app.kubernetes.io/part-of': 'strata' };
  const account = (name: string): K8sObject => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, labels: partOf },
  });
  const role = (name: string, rules: object[]): K8sObject[] => [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, labels: partOf }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, labels: partOf },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name }],
    },
  ];
  return [
    account(DISCOVERY_ACCOUNT),
    ...role(DISCOVERY_ACCOUNT, [
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
    ]),
    account(MIGRATION_READER_ACCOUNT),
    ...role(MIGRATION_READER_ACCOUNT, [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get'] }]),
  ];
}

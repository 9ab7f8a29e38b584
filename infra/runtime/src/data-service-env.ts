import { z } from '@strata/shared-kernel';
import { flag, list, rateLimits } from './env-fields.ts';

/**
 * How a process finds others on Kubernetes (STRATA_REGISTRY=kubernetes): the Services' EndpointSlices
 * through the API (the pod's service account may list and watch them), or a headless Service's DNS.
 */
export const kubernetesDiscoveryEnvShape = {
  /** endpointslices when unset (optional, so a caller outside Kubernetes need not name it). */
  STRATA_KUBERNETES_DISCOVERY: z.enum(['endpointslices', 'dns']).optional(),
  /** Defaults to the pod's own namespace. */
  STRATA_KUBERNETES_NAMESPACE: z.string().min(1).optional(),
  /** Defaults to the in-cluster API (KUBERNETES_SERVICE_HOST); e.g. http://127.0.0.1:8001 behind `kubectl proxy`. */
  STRATA_KUBERNETES_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  STRATA_KUBERNETES_DNS_SERVERS: list.optional(),
};

export type KubernetesDiscoveryEnv = z.output<z.ZodObject<typeof kubernetesDiscoveryEnvShape>>;

/** The registry options for STRATA_REGISTRY=kubernetes. */
export function kubernetesRegistryOptions(env: KubernetesDiscoveryEnv) {
  return {
    discovery: env.STRATA_KUBERNETES_DISCOVERY ?? ('endpointslices' as const),
    ...(env.STRATA_KUBERNETES_NAMESPACE === undefined ? {} : { namespace: env.STRATA_KUBERNETES_NAMESPACE }),
    ...(env.STRATA_KUBERNETES_API_URL === undefined ? {} : { apiUrl: env.STRATA_KUBERNETES_API_URL }),
    ...(env.STRATA_KUBERNETES_DNS_SERVERS === undefined
      ? {}
      : { dnsServers: env.STRATA_KUBERNETES_DNS_SERVERS }),
  };
}

/**
 * The environment an application service reads to reach its data services: the registry (etcd, or
 * one static address) and mutual TLS or, chosen by name, plaintext. Spread it into an app's own
 * config schema and check it with `checkDataServiceEnv` in that schema's `superRefine`.
 */
export const dataServiceEnvShape = {
  /**
   * etcd: instances come from the registry; static: one address, in the app's address variable;
   * kubernetes: from the cluster's Services (STRATA_KUBERNETES_DISCOVERY says how).
   */
  STRATA_REGISTRY: z.enum(['etcd', 'static', 'kubernetes']).default('etcd'),
  ...kubernetesDiscoveryEnvShape,
  STRATA_ETCD_HOSTS: list.default(['http://127.0.0.1:2379']),
  STRATA_ETCD_PREFIX: z.string().min(2).optional(),
  STRATA_RPC_PLAINTEXT: flag.default(false),
  /**
   * This process's client-side rate limit per data service, in place of the one the contracts'
   * call policy declares: `commerce-service=5000/1000` (calls a second/burst). For a deployment
   * whose callers legitimately outgrow the declared limit, without a change to the contract.
   */
  STRATA_RPC_RATE_LIMITS: rateLimits.optional(),
  STRATA_TLS_CA_FILE: z.string().min(1).optional(),
  STRATA_TLS_CERT_FILE: z.string().min(1).optional(),
  STRATA_TLS_KEY_FILE: z.string().min(1).optional(),
};

export type DataServiceEnv = z.output<z.ZodObject<typeof dataServiceEnvShape>>;

/**
 * The rules across variables: a static registry needs each data service's address (`addressVariables`,
 * e.g. STRATA_COMMERCE_ADDRESS); mutual TLS needs all three files; plaintext forbids them, so a
 * half-configured TLS never silently falls back to plaintext.
 */
export function checkDataServiceEnv(
  env: DataServiceEnv & Record<string, unknown>,
  context: z.RefinementCtx,
  addressVariables: string | readonly string[],
): void {
  for (const addressVariable of typeof addressVariables === 'string'
    ? [addressVariables]
    : addressVariables) {
    if (env.STRATA_REGISTRY === 'static' && env[addressVariable] === undefined) {
      context.addIssue({
        code: 'custom',
        path: [addressVariable],
        message: 'is required when STRATA_REGISTRY=static',
      });
    }
  }
  const tlsFiles = {
    STRATA_TLS_CA_FILE: env.STRATA_TLS_CA_FILE,
    STRATA_TLS_CERT_FILE: env.STRATA_TLS_CERT_FILE,
    STRATA_TLS_KEY_FILE: env.STRATA_TLS_KEY_FILE,
  };
  if (env.STRATA_RPC_PLAINTEXT) {
    if (Object.values(tlsFiles).some((file) => file !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['STRATA_RPC_PLAINTEXT'],
        message: 'is 1 while STRATA_TLS_* files are set; choose mutual TLS or plaintext, not both',
      });
    }
    return;
  }
  for (const [name, value] of Object.entries(tlsFiles)) {
    if (value === undefined) {
      context.addIssue({
        code: 'custom',
        path: [name],
        message:
          'is required for mutual TLS to the data services; or set STRATA_RPC_PLAINTEXT=1 to call them in plaintext on purpose',
      });
    }
  }
}

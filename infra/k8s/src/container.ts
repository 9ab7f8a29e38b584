import type { Tier } from './platform-services.ts';

/*
 * What every Strata container shares, in a service's Deployment and in a migration Job alike: the
 * image, the unprivileged user it runs as, its security context and its resources.
 */

/** The image every service runs; overlays pin the tag with kustomize's `images:`. */
export const IMAGE = 'ghcr.io/strata-platform/strata';

export const USER_ID = 10001;

export const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

export function resources(tier: Tier): Record<string, unknown> {
  const small = tier === 'payment-simulator' || tier === 'link-redirect';
  return {
    requests: { cpu: small ? '50m' : '100m', memory: small ? '128Mi' : '256Mi' },
    limits: { cpu: '1', memory: small ? '256Mi' : '512Mi' },
  };
}

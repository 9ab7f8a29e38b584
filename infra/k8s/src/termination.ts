import type { Tier } from './platform-services.ts';

/** Shared by every data service's config: how long in-flight calls may finish after SIGTERM. */
export const DRAIN_TIMEOUT_MS = 10_000;
/**
 * The pause before SIGTERM: kube-proxy and the callers' EndpointSlice watches need a moment to
 * drop the pod after it turns terminating, or new calls still arrive after the listener closed.
 */
export const PRE_STOP_SECONDS = 5;
/** preStop + drain + closing consumers, relay and pools, with margin; the kubelet kills after it. */
export const GRACE_SECONDS: Record<Tier, number> = {
  'data-service': PRE_STOP_SECONDS + DRAIN_TIMEOUT_MS / 1000 + 20,
  'application-service': PRE_STOP_SECONDS + 25,
  gateway: PRE_STOP_SECONDS + DRAIN_TIMEOUT_MS / 1000 + 10,
  'link-redirect': PRE_STOP_SECONDS + 20,
  'payment-simulator': 10,
};

import type { ServiceInstance } from './service-instance.ts';

/** An instance the invoker may call now (its breaker lets calls through), with its connection's load. */
export interface BalancerCandidate {
  readonly instance: ServiceInstance;
  /** Calls sent to this instance and not yet answered. */
  readonly pending: number;
}

/** Chooses one of the candidates for a call; undefined only when there are none. */
export interface Balancer {
  pick<C extends BalancerCandidate>(candidates: readonly C[], hashKey?: string): C | undefined;
}

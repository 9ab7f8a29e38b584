import type { Balancer, BalancerCandidate } from './balancer.ts';

/** Each candidate in turn: even spread when instances are alike and calls cost the same. */
export class RoundRobinBalancer implements Balancer {
  #next = 0;

  pick<C extends BalancerCandidate>(candidates: readonly C[]): C | undefined {
    if (candidates.length === 0) return undefined;
    const chosen = candidates[this.#next % candidates.length];
    this.#next = (this.#next + 1) % Number.MAX_SAFE_INTEGER;
    return chosen;
  }
}

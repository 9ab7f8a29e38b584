import type { Balancer, BalancerCandidate } from './balancer.ts';
import { HashRing } from './hash-ring.ts';
import { RoundRobinBalancer } from './round-robin-balancer.ts';

/**
 * Sends every call for one aggregate id to the same instance, so that instance's caches stay
 * warm and concurrent commands on one aggregate meet in one process. The ring is built from the
 * current candidates: an instance whose breaker opens drops out like a leaving member, moving
 * only its own keys. Calls without a hash key (finders, creations) go round robin.
 */
export class ConsistentHashBalancer implements Balancer {
  readonly #virtualNodes: number;
  readonly #fallback = new RoundRobinBalancer();
  #ring: HashRing | undefined;
  #membership = '';

  constructor(virtualNodes = 160) {
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1) {
      throw new RangeError(`virtualNodes must be a positive integer, got ${virtualNodes}`);
    }
    this.#virtualNodes = virtualNodes;
  }

  pick<C extends BalancerCandidate>(candidates: readonly C[], hashKey?: string): C | undefined {
    if (hashKey === undefined || candidates.length <= 1) return this.#fallback.pick(candidates);
    const ids = candidates.map((candidate) => candidate.instance.id).sort();
    const membership = ids.join('\n');
    if (this.#ring === undefined || membership !== this.#membership) {
      this.#ring = new HashRing(ids, this.#virtualNodes);
      this.#membership = membership;
    }
    const owner = this.#ring.owner(hashKey);
    return candidates.find((candidate) => candidate.instance.id === owner);
  }
}

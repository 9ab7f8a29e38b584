import type { Balancer, BalancerCandidate } from './balancer.ts';

/**
 * Power of two choices: sample two candidates at random and take the one with fewer calls in
 * flight. Nearly as good as always picking the least loaded, without every client herding onto
 * the same momentarily idle instance (Mitzenmacher, "The Power of Two Choices").
 */
export class LeastPendingBalancer implements Balancer {
  readonly #random: () => number;

  /** `random` is injectable so tests can pin the sampled pair. */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  pick<C extends BalancerCandidate>(candidates: readonly C[]): C | undefined {
    if (candidates.length <= 1) return candidates[0];
    const first = Math.floor(this.#random() * candidates.length);
    // Draw the second from the others so the two choices are always distinct.
    let second = Math.floor(this.#random() * (candidates.length - 1));
    if (second >= first) second += 1;
    const a = candidates[first]!;
    const b = candidates[second]!;
    return b.pending < a.pending ? b : a;
  }
}

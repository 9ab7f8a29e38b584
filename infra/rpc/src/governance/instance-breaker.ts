import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhenResult,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { RpcResponse } from '../protocol.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Only UNAVAILABLE opens a breaker: it says the instance could not take the call. Error answers
 * (NOT_FOUND, RULE_VIOLATION, …) prove the instance works, and DEADLINE_EXCEEDED mostly says the
 * caller's budget was tight, not that this instance is broken.
 */
function instanceFailed(result: unknown): boolean {
  const response = result as RpcResponse;
  return !response.ok && response.error.code === 'UNAVAILABLE';
}

/**
 * A circuit breaker for one instance, on cockatiel. cockatiel only moves an open breaker to
 * half-open when a call is attempted through it, so this class also answers whether the
 * balancer may offer the instance at all: not while open and cooling down, and not while the
 * single half-open probe is in flight.
 */
export class InstanceBreaker {
  readonly #policy: CircuitBreakerPolicy;
  readonly #halfOpenAfterMs: number;
  #openedAt = 0;
  #probing = false;

  constructor(options: { consecutiveFailures: number; halfOpenAfterMs: number }) {
    this.#halfOpenAfterMs = options.halfOpenAfterMs;
    this.#policy = circuitBreaker(handleWhenResult(instanceFailed), {
      breaker: new ConsecutiveBreaker(options.consecutiveFailures),
      halfOpenAfter: options.halfOpenAfterMs,
    });
    this.#policy.onBreak(() => {
      this.#openedAt = Date.now();
    });
  }

  get state(): BreakerState {
    switch (this.#policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /** Whether a call may go to this instance now. */
  get selectable(): boolean {
    if (this.#probing) return false;
    const state = this.#policy.state;
    if (state === CircuitState.Closed) return true;
    if (state === CircuitState.Open) return Date.now() - this.#openedAt >= this.#halfOpenAfterMs;
    return false;
  }

  /** Runs one call through the breaker; an open breaker answers UNAVAILABLE without calling. */
  async execute(call: () => Promise<RpcResponse>, instanceId: string): Promise<RpcResponse> {
    const probe = this.#policy.state !== CircuitState.Closed;
    if (probe) this.#probing = true;
    try {
      return await this.#policy.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        return {
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: `instance ${instanceId}: circuit open`,
            details: { retrySafe: true, circuitOpen: true },
          },
        };
      }
      throw error;
    } finally {
      if (probe) this.#probing = false;
    }
  }
}

import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhenResult,
  type CircuitBreakerPolicy,
  type IDisposable,
} from 'cockatiel';
import type { RpcResponse } from '../protocol.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface InstanceBreakerOptions {
  /** Failed calls in a row that open the breaker. */
  readonly consecutiveFailures: number;
  /**
   * How long an open breaker waits before it lets one probe call through. `Infinity` keeps it
   * open until `readmit()`: for callers that readmit on a health check of their own (the gateway).
   */
  readonly halfOpenAfterMs: number;
}

/** How a breaker reads the results of the calls it guards. */
export interface CallJudgement<R> {
  /** Whether a result counts against the instance. */
  readonly failed: (result: R) => boolean;
  /** A failure that proves the instance down beyond doubt (a refused connection) opens the breaker at once. */
  readonly conclusive?: (result: R) => boolean;
  /** What a call refused by an open breaker answers, without being made. */
  readonly refused: (instanceId: string) => R;
}

/**
 * Only UNAVAILABLE opens a breaker: it says the instance could not take the call. Error answers
 * (NOT_FOUND, RULE_VIOLATION, …) prove the instance works, and DEADLINE_EXCEEDED mostly says the
 * caller's budget was tight, not that this instance is broken.
 */
export const rpcCallJudgement: CallJudgement<RpcResponse> = {
  failed: (response) => !response.ok && response.error.code === 'UNAVAILABLE',
  refused: (instanceId) => ({
    ok: false,
    error: {
      code: 'UNAVAILABLE',
      message: `instance ${instanceId}: circuit open`,
      details: { retrySafe: true, circuitOpen: true },
    },
  }),
};

/** cockatiel's consecutive count, which a conclusive failure fills up to the threshold at once. */
class TrippableBreaker extends ConsecutiveBreaker {
  readonly #opensAt: number;

  constructor(threshold: number) {
    super(threshold);
    this.#opensAt = threshold;
  }

  /** The next failure opens the breaker, whatever the count was. */
  trip(): void {
    this.state = Math.max(this.state, this.#opensAt - 1);
  }
}

/** The judgement is optional only for RPC responses, which have a default one. */
type JudgementArgument<R> = [R] extends [RpcResponse]
  ? [judgement?: CallJudgement<R>]
  : [judgement: CallJudgement<R>];

/**
 * A circuit breaker for one instance, on cockatiel, shared by the RPC's ClusterInvoker and the
 * gateway's upstream pools. cockatiel only moves an open breaker to half-open when a call is
 * attempted through it, so this class also answers whether a balancer may offer the instance at
 * all: not while open and cooling down, and not while the single half-open probe is in flight.
 */
export class InstanceBreaker<R = RpcResponse> {
  readonly #policy: CircuitBreakerPolicy;
  readonly #count: TrippableBreaker;
  readonly #halfOpenAfterMs: number;
  readonly #judgement: CallJudgement<R>;
  #openedAt = 0;
  #probing = false;
  #ejection: IDisposable | undefined;

  constructor(options: InstanceBreakerOptions, ...[judgement]: JudgementArgument<R>) {
    this.#halfOpenAfterMs = options.halfOpenAfterMs;
    this.#judgement = judgement ?? (rpcCallJudgement as unknown as CallJudgement<R>);
    this.#count = new TrippableBreaker(options.consecutiveFailures);
    const { failed, conclusive } = this.#judgement;
    this.#policy = circuitBreaker(
      handleWhenResult((result) => {
        if (!failed(result as R)) return false;
        if (conclusive?.(result as R) === true) this.#count.trip();
        return true;
      }),
      { breaker: this.#count, halfOpenAfter: options.halfOpenAfterMs },
    );
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

  /** Failed calls in a row so far (reset by a success or a readmission). */
  get consecutiveFailures(): number {
    return this.#count.state;
  }

  /** Whether a call may go to this instance now. */
  get selectable(): boolean {
    if (this.#probing) return false;
    const state = this.#policy.state;
    if (state === CircuitState.Closed) return true;
    if (state === CircuitState.Open) return Date.now() - this.#openedAt >= this.#halfOpenAfterMs;
    return false;
  }

  /** Runs one call through the breaker; an open breaker answers the judgement's refusal without calling. */
  execute(call: () => Promise<R>, instanceId: string): Promise<R> {
    if (this.#policy.state !== CircuitState.Closed) return this.#guarded(call, instanceId);
    // The common case, and the gateway's per-request path: a closed breaker cannot refuse, and a
    // success only resets the count, which is done here rather than through cockatiel's two async
    // layers (their promises, result wrapper and closures were a per-call cost on the client).
    let answer: Promise<R>;
    try {
      answer = call();
    } catch (error) {
      return Promise.reject(error);
    }
    return answer.then(this.#judge);
  }

  /**
   * A closed breaker's call has answered. A failure goes through cockatiel itself, which counts
   * it and opens the breaker at the threshold, exactly as if the call had run inside it. If other
   * calls opened the breaker meanwhile, the failure is only counted: the open breaker, or its one
   * half-open probe, already decides what comes next.
   */
  readonly #judge = (result: R): R | Promise<R> => {
    if (!this.#judgement.failed(result)) {
      this.#count.success();
      return result;
    }
    if (this.#policy.state === CircuitState.Closed)
      return this.#policy.execute(() => Promise.resolve(result));
    if (this.#judgement.conclusive?.(result) === true) this.#count.trip();
    this.#count.failure();
    return result;
  };

  async #guarded(call: () => Promise<R>, instanceId: string): Promise<R> {
    this.#probing = true;
    try {
      return await this.#policy.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError) return this.#judgement.refused(instanceId);
      throw error;
    } finally {
      this.#probing = false;
    }
  }

  /** Opens the breaker now, whatever the count, until `readmit()` (a failed health check). */
  eject(): void {
    this.#ejection ??= this.#policy.isolate();
  }

  /** Closes the breaker and clears the count (a passed health check). */
  readmit(): void {
    if (this.#policy.state === CircuitState.Closed) return;
    // cockatiel closes a breaker only through a probe call or the end of an isolation.
    const isolation = this.#ejection ?? this.#policy.isolate();
    this.#ejection = undefined;
    isolation.dispose();
    this.#count.success();
  }
}

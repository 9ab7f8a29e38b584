import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { callSignal, deadlineExceeded } from '../deadline/index.ts';
import { isRetrySafeFailure, type InvokeOptions, type RpcRequest, type RpcResponse } from '../protocol.ts';
import {
  optionsSchema,
  type ClusterInvokerConfig,
  type ClusterInvokerOptions,
} from './cluster-invoker-options.ts';
import {
  chooseMember,
  hasUntried,
  newTarget,
  noInstanceMessage,
  reconcile,
  selectableCount,
  targetStats,
  type Target,
  type TargetStats,
} from './cluster-target.ts';
import { failure, type FailedResponse } from './failure.ts';
import { hedgedAttempt } from './hedged-attempt.ts';
import { attemptOn } from './instance-attempt.ts';
import type { ConnectionFactory } from './instance-connection.ts';
import type { ServiceRegistry } from './service-registry.ts';

export type { ClusterInvokerOptions } from './cluster-invoker-options.ts';
export type { TargetStats } from './cluster-target.ts';

/**
 * Routes a call to one instance of its target service: registry → balancer (over instances
 * whose breaker is closed) → client rate limit → attempt through the instance's breaker and
 * connection, with failover, retries and backup requests where the call is safe to repeat, all
 * inside the call's absolute deadline, which travels in the request to the next hop.
 */
export class ClusterInvoker {
  readonly #options: ClusterInvokerConfig;
  readonly #registry: ServiceRegistry;
  readonly #connect: ConnectionFactory;
  readonly #targets = new Map<string, Promise<Target>>();
  /** The same targets once their first registry listing arrived, for synchronous stats. */
  readonly #ready = new Map<string, Target>();
  #closed = false;

  constructor(options: ClusterInvokerOptions) {
    const { registry, connect, ...rest } = options;
    const parsed = optionsSchema.safeParse(rest);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`invalid cluster invoker options: ${reasons.join('; ')}`);
    }
    this.#options = parsed.data;
    this.#registry = registry;
    this.#connect = connect;
  }

  /**
   * Not async: a call to a service already listed is the promise #route returns, with no async
   * layer of ours around it (each one a promise and two more microtask hops per call).
   */
  invoke(request: RpcRequest, options: InvokeOptions): Promise<RpcResponse> {
    if (options.signal?.aborted === true) return Promise.reject(options.signal.reason);
    if (this.#closed)
      return Promise.resolve(
        failure('UNAVAILABLE', `cluster invoker is closed; ${request.service} ${request.method} not sent`, {
          retrySafe: true,
        }),
      );
    const deadline = request.deadline ?? Date.now() + this.#options.defaultTimeoutMs;
    if (deadline <= Date.now())
      return Promise.resolve(deadlineExceeded(request.service, request.method, deadline));
    const target = this.#ready.get(request.service);
    return target === undefined
      ? this.#invokeOnceListed(request, options, deadline)
      : this.#invokeOn(target, request, options, deadline);
  }

  async #invokeOnceListed(
    request: RpcRequest,
    options: InvokeOptions,
    deadline: number,
  ): Promise<RpcResponse> {
    let target: Target;
    try {
      target = await this.#target(request.service);
    } catch (error) {
      return failure(
        'UNAVAILABLE',
        `cannot list instances of ${request.service}: ${(error as Error).message}`,
        { retrySafe: true },
      );
    }
    return this.#invokeOn(target, request, options, deadline);
  }

  #invokeOn(
    target: Target,
    request: RpcRequest,
    options: InvokeOptions,
    deadline: number,
  ): Promise<RpcResponse> {
    target.calls += 1;
    if (target.bucket !== undefined && !target.bucket.tryTake()) {
      target.rateLimited += 1;
      return Promise.resolve(
        failure(
          'RATE_LIMITED',
          `client-side rate limit for ${request.service} reached; slow down, or raise the limit for this process (STRATA_RPC_RATE_LIMITS, or the contract's callPolicy.rateLimit)`,
          { service: request.service },
        ),
      );
    }

    // The request is the caller's; the deadline it travels with may be the default one.
    const outgoing: RpcRequest =
      request.deadline === deadline
        ? request
        : {
            service: request.service,
            method: request.method,
            payload: request.payload,
            metadata: request.metadata,
            deadline,
          };
    // Every attempt carries the deadline in its request, and a transport connection enforces it
    // itself, so a signal (an AbortController, a timer and a listener per call) is only made
    // where something must be aborted from here: the caller's own signal, a hedged query's losing
    // attempt, or a connection that does not enforce deadlines (attemptOn). A backup goes only to
    // an instance the call has not tried, so with one instance to call there is no race to run.
    const hedged =
      options.kind === 'query' && target.hedgeBudget !== undefined && selectableCount(target) > 1;
    if (options.signal === undefined && !hedged)
      return this.#route(target, outgoing, options, undefined, deadline);
    return this.#routeUnderSignal(target, outgoing, options, deadline);
  }

  async #routeUnderSignal(
    target: Target,
    request: RpcRequest,
    options: InvokeOptions,
    deadline: number,
  ): Promise<RpcResponse> {
    const signal = callSignal(deadline, options.signal);
    try {
      return await this.#route(target, request, options, signal.signal, deadline);
    } finally {
      signal.dispose();
    }
  }

  async #route(
    target: Target,
    request: RpcRequest,
    options: InvokeOptions,
    signal: AbortSignal | undefined,
    deadline: number,
  ): Promise<RpcResponse> {
    const repeatable = options.kind === 'query' || options.idempotent === true;
    const hedgeBudget = options.kind === 'query' ? target.hedgeBudget : undefined;
    hedgeBudget?.recordCall();

    const tried = new Set<string>();
    let backoff: IBackoff<unknown> | undefined;
    let previous: FailedResponse | undefined;
    for (let attempt = 1; ; attempt++) {
      const member = chooseMember(target, tried, options.hashKey);
      if (member === undefined) {
        // Breakers may have opened during this call; the failure that got us here says more.
        if (previous !== undefined) return this.#annotate(previous, noInstanceMessage(target));
        return failure('UNAVAILABLE', noInstanceMessage(target), { retrySafe: true });
      }
      tried.add(member.instance.id);
      const response =
        hedgeBudget !== undefined && signal !== undefined && hasUntried(target, tried)
          ? await hedgedAttempt({
              target,
              primary: member,
              request,
              signal,
              callerSignal: options.signal,
              tried,
              hedging: this.#options.hedging,
              attempt: (chosen, sent, attemptSignal) => attemptOn(chosen, sent, attemptSignal, target),
            })
          : await attemptOn(member, request, signal, target);
      if (
        response.ok ||
        !this.#mayTryAgain(response, repeatable) ||
        attempt >= this.#options.retry.maxAttempts
      ) {
        return response;
      }
      previous = response;

      // Failing over to an instance not yet tried is immediate: the failure was that instance's.
      // Going back to one already tried backs off with jitter, so a struggling cluster is not hammered.
      let delay = 0;
      if (!hasUntried(target, tried)) {
        backoff = backoff === undefined ? this.#backoffFactory().next() : backoff.next({ attempt, signal });
        delay = backoff.duration;
      }
      if (Date.now() + delay >= deadline)
        return this.#annotate(response, 'no time left before the deadline to try again');
      target.retries += 1;
      if (delay > 0) {
        try {
          // Without a signal the sleep cannot outlive the deadline: it was checked just above.
          await sleep(delay, undefined, signal === undefined ? undefined : { signal });
        } catch (error) {
          options.signal?.throwIfAborted();
          if (Date.now() >= deadline) return deadlineExceeded(request.service, request.method, deadline);
          throw error;
        }
      }
    }
  }

  /** One entry per target service this invoker has called. */
  stats(): TargetStats[] {
    return [...this.#ready.values()].map(targetStats);
  }

  /**
   * How many instances of `service` a call could go to now (registered, breaker not open): what a
   * caller's readiness check asks. Starts watching the service if no call has yet.
   */
  async selectableInstances(service: string): Promise<number> {
    return selectableCount(await this.#target(service));
  }

  /** Stops watching the registry and closes every connection (each lets its pending calls finish). */
  async close(): Promise<void> {
    this.#closed = true;
    const targets = await Promise.allSettled(this.#targets.values());
    this.#targets.clear();
    this.#ready.clear();
    const closing: Promise<void>[] = [];
    for (const settled of targets) {
      if (settled.status !== 'fulfilled') continue;
      settled.value.unwatch();
      for (const member of settled.value.members.values()) closing.push(member.connection.close());
    }
    await Promise.allSettled(closing);
  }

  #target(service: string): Promise<Target> {
    let target = this.#targets.get(service);
    if (target === undefined) {
      target = this.#createTarget(service);
      this.#targets.set(service, target);
      // A registry that could not be reached is asked again on the next call, not cached as broken.
      target.then(
        (ready) => this.#ready.set(service, ready),
        () => this.#targets.delete(service),
      );
    }
    return target;
  }

  async #createTarget(service: string): Promise<Target> {
    const target = newTarget(service, this.#options);
    target.unwatch = await this.#registry.watch(service, (instances) =>
      reconcile(target, instances, this.#connect, this.#options.breaker),
    );
    return target;
  }

  #backoffFactory(): ExponentialBackoff<unknown> {
    // cockatiel's default generator is decorrelated jitter: delays spread out instead of retrying in lockstep.
    return new ExponentialBackoff({
      initialDelay: this.#options.retry.initialDelayMs,
      maxDelay: this.#options.retry.maxDelayMs,
    });
  }

  /**
   * UNAVAILABLE is the only failure worth another try. A call that may have reached the server
   * is only repeated when repeating is harmless; one the server cannot have seen
   * (`retrySafe: true`) may go elsewhere whatever it is.
   */
  #mayTryAgain(response: FailedResponse, repeatable: boolean): boolean {
    if (response.error.code !== 'UNAVAILABLE') return false;
    return repeatable || isRetrySafeFailure(response);
  }

  #annotate(response: FailedResponse, note: string): FailedResponse {
    return { ok: false, error: { ...response.error, message: `${response.error.message} (${note})` } };
  }
}

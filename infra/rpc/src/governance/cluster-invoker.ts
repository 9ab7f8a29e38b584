import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { z } from 'zod';
import { isRetrySafeFailure, type InvokeOptions, type RpcRequest, type RpcResponse } from '../protocol.ts';
import type { Balancer } from './balancer.ts';
import { ConsistentHashBalancer } from './consistent-hash-balancer.ts';
import { callSignal, DeadlineSignal } from '../deadline-signal.ts';
import { deadlineExceeded } from './deadline.ts';
import { failure, type FailedResponse } from './failure.ts';
import { HedgeBudget } from './hedge-budget.ts';
import type { ConnectionFactory, InstanceConnection } from './instance-connection.ts';
import { InstanceBreaker } from './instance-breaker.ts';
import { LatencyWindow } from './latency-window.ts';
import { LeastPendingBalancer } from './least-pending-balancer.ts';
import { RoundRobinBalancer } from './round-robin-balancer.ts';
import type { ServiceInstance } from './service-instance.ts';
import type { ServiceRegistry } from './service-registry.ts';
import { TokenBucket } from './token-bucket.ts';

const balancingSchema = z.enum(['round-robin', 'least-pending', 'consistent-hash']);
const rateLimitSchema = z.object({ ratePerSecond: z.number().positive(), burst: z.number().int().min(1) });

const optionsSchema = z.object({
  /** Used when a request carries no deadline of its own. */
  defaultTimeoutMs: z.number().int().positive().default(5000),
  balancing: z
    .object({
      default: balancingSchema.default('least-pending'),
      services: z.record(z.string(), balancingSchema).default({}),
    })
    .default({ default: 'least-pending', services: {} }),
  retry: z
    .object({
      /** Attempts in all, the first included. */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      initialDelayMs: z.number().int().min(0).default(20),
      maxDelayMs: z.number().int().min(0).default(1000),
    })
    .default({ maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 1000 }),
  breaker: z
    .object({
      consecutiveFailures: z.number().int().min(1).default(5),
      halfOpenAfterMs: z.number().int().min(1).default(5000),
    })
    .default({ consecutiveFailures: 5, halfOpenAfterMs: 5000 }),
  /** Per target service; a service not listed (and no default) is not limited. */
  rateLimit: z
    .object({
      default: rateLimitSchema.optional(),
      services: z.record(z.string(), rateLimitSchema).default({}),
    })
    .default({ services: {} }),
  /** Backup requests for queries; `false` turns them off. */
  hedging: z
    .union([
      z.literal(false),
      z.object({
        /** A backup goes out when the first call has taken longer than this percentile of recent calls. */
        percentile: z.number().gt(0).max(100).default(95),
        /** At most this share of queries get a backup. */
        maxShare: z.number().gt(0).lt(1).default(0.05),
        /** Below this many recent samples the percentile means little, so no backups are sent. */
        minSamples: z.number().int().min(1).default(20),
      }),
    ])
    .default({ percentile: 95, maxShare: 0.05, minSamples: 20 }),
});

export type ClusterInvokerOptions = z.input<typeof optionsSchema> & {
  registry: ServiceRegistry;
  connect: ConnectionFactory;
};

/** Per target service, for metrics and health. Counters run from the invoker's start. */
export interface TargetStats {
  service: string;
  instances: number;
  pending: number;
  openBreakers: number;
  halfOpenBreakers: number;
  calls: number;
  retries: number;
  hedges: number;
  rateLimited: number;
}

interface Member {
  readonly instance: ServiceInstance;
  readonly connection: InstanceConnection;
  readonly breaker: InstanceBreaker;
}

interface Candidate {
  readonly instance: ServiceInstance;
  readonly pending: number;
  readonly member: Member;
}

interface Target {
  readonly service: string;
  readonly members: Map<string, Member>;
  readonly balancer: Balancer;
  readonly bucket: TokenBucket | undefined;
  readonly latency: LatencyWindow;
  readonly hedgeBudget: HedgeBudget | undefined;
  unwatch: () => void;
  calls: number;
  retries: number;
  hedges: number;
  rateLimited: number;
}

type Options = z.output<typeof optionsSchema>;

function sameEndpoint(a: ServiceInstance, b: ServiceInstance): boolean {
  return a.host === b.host && a.port === b.port && a.tls === b.tls;
}

/**
 * Routes a call to one instance of its target service: registry → balancer (over instances
 * whose breaker is closed) → client rate limit → attempt through the instance's breaker and
 * connection, with failover, retries and backup requests where the call is safe to repeat, all
 * inside the call's absolute deadline, which travels in the request to the next hop.
 */
export class ClusterInvoker {
  readonly #options: Options;
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

  async invoke(request: RpcRequest, options: InvokeOptions): Promise<RpcResponse> {
    options.signal?.throwIfAborted();
    if (this.#closed)
      return failure(
        'UNAVAILABLE',
        `cluster invoker is closed; ${request.service} ${request.method} not sent`,
        { retrySafe: true },
      );
    const deadline = request.deadline ?? Date.now() + this.#options.defaultTimeoutMs;
    if (deadline <= Date.now()) return deadlineExceeded(request.service, request.method, deadline);

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
    target.calls += 1;
    if (target.bucket !== undefined && !target.bucket.tryTake()) {
      target.rateLimited += 1;
      return failure(
        'RATE_LIMITED',
        `client-side rate limit for ${request.service} reached; slow down or raise rateLimit for this service`,
        {
          service: request.service,
        },
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
    const signal = callSignal(deadline, options.signal);
    try {
      return await this.#route(target, outgoing, options, signal.signal, deadline);
    } finally {
      signal.dispose();
    }
  }

  async #route(
    target: Target,
    request: RpcRequest,
    options: InvokeOptions,
    signal: AbortSignal,
    deadline: number,
  ): Promise<RpcResponse> {
    const repeatable = options.kind === 'query' || options.idempotent === true;
    const hedgeBudget = options.kind === 'query' ? target.hedgeBudget : undefined;
    hedgeBudget?.recordCall();

    const tried = new Set<string>();
    let backoff: IBackoff<unknown> | undefined;
    let previous: FailedResponse | undefined;
    for (let attempt = 1; ; attempt++) {
      const member = this.#choose(target, tried, options.hashKey);
      if (member === undefined) {
        // Breakers may have opened during this call; the failure that got us here says more.
        if (previous !== undefined) return this.#annotate(previous, this.#noInstanceMessage(target));
        return failure('UNAVAILABLE', this.#noInstanceMessage(target), { retrySafe: true });
      }
      tried.add(member.instance.id);
      const response =
        hedgeBudget !== undefined
          ? await this.#hedgedAttempt(target, member, request, signal, options.signal, tried)
          : await this.#attempt(member, request, signal, target);
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
      if (!this.#hasUntried(target, tried)) {
        backoff = backoff === undefined ? this.#backoffFactory().next() : backoff.next({ attempt, signal });
        delay = backoff.duration;
      }
      if (Date.now() + delay >= deadline)
        return this.#annotate(response, 'no time left before the deadline to try again');
      target.retries += 1;
      if (delay > 0) {
        try {
          await sleep(delay, undefined, { signal });
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
    const stats: TargetStats[] = [];
    for (const target of this.#ready.values()) {
      let pending = 0;
      let openBreakers = 0;
      let halfOpenBreakers = 0;
      for (const member of target.members.values()) {
        pending += member.connection.pending;
        if (member.breaker.state === 'open') openBreakers += 1;
        if (member.breaker.state === 'half-open') halfOpenBreakers += 1;
      }
      stats.push({
        service: target.service,
        instances: target.members.size,
        pending,
        openBreakers,
        halfOpenBreakers,
        calls: target.calls,
        retries: target.retries,
        hedges: target.hedges,
        rateLimited: target.rateLimited,
      });
    }
    return stats;
  }

  /**
   * How many instances of `service` a call could go to now (registered, breaker not open): what a
   * caller's readiness check asks. Starts watching the service if no call has yet.
   */
  async selectableInstances(service: string): Promise<number> {
    const target = await this.#target(service);
    let selectable = 0;
    for (const member of target.members.values()) if (member.breaker.selectable) selectable += 1;
    return selectable;
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
    const rateLimit = this.#options.rateLimit.services[service] ?? this.#options.rateLimit.default;
    const hedging = this.#options.hedging;
    const target: Target = {
      service,
      members: new Map(),
      balancer: this.#balancer(this.#options.balancing.services[service] ?? this.#options.balancing.default),
      bucket: rateLimit === undefined ? undefined : new TokenBucket(rateLimit),
      latency: new LatencyWindow(),
      hedgeBudget: hedging === false ? undefined : new HedgeBudget(hedging.maxShare),
      unwatch: () => {},
      calls: 0,
      retries: 0,
      hedges: 0,
      rateLimited: 0,
    };
    target.unwatch = await this.#registry.watch(service, (instances) => this.#reconcile(target, instances));
    return target;
  }

  #reconcile(target: Target, instances: readonly ServiceInstance[]): void {
    const seen = new Set<string>();
    for (const instance of instances) {
      seen.add(instance.id);
      const current = target.members.get(instance.id);
      if (current !== undefined && sameEndpoint(current.instance, instance)) continue;
      if (current !== undefined) void current.connection.close().catch(() => {});
      target.members.set(instance.id, {
        instance,
        connection: this.#connect(instance),
        breaker: new InstanceBreaker(this.#options.breaker),
      });
    }
    for (const [id, member] of target.members) {
      if (seen.has(id)) continue;
      target.members.delete(id);
      // An instance that left may still be answering calls it took; close() lets them finish.
      void member.connection.close().catch(() => {});
    }
  }

  #balancer(kind: z.infer<typeof balancingSchema>): Balancer {
    switch (kind) {
      case 'round-robin':
        return new RoundRobinBalancer();
      case 'least-pending':
        return new LeastPendingBalancer();
      case 'consistent-hash':
        return new ConsistentHashBalancer();
    }
  }

  #backoffFactory(): ExponentialBackoff<unknown> {
    // cockatiel's default generator is decorrelated jitter: delays spread out instead of retrying in lockstep.
    return new ExponentialBackoff({
      initialDelay: this.#options.retry.initialDelayMs,
      maxDelay: this.#options.retry.maxDelayMs,
    });
  }

  /** Prefers instances not tried yet for this call; falls back to any the breakers allow. */
  #choose(target: Target, tried: ReadonlySet<string>, hashKey: string | undefined): Member | undefined {
    // One pass, no intermediate arrays: this runs on every call.
    const untried: Candidate[] = [];
    let triedButSelectable: Candidate[] | undefined;
    for (const member of target.members.values()) {
      if (!member.breaker.selectable) continue;
      const candidate = { instance: member.instance, pending: member.connection.pending, member };
      if (!tried.has(member.instance.id)) untried.push(candidate);
      else if (untried.length === 0) (triedButSelectable ??= []).push(candidate);
    }
    const pool = untried.length > 0 ? untried : (triedButSelectable ?? untried);
    return target.balancer.pick(pool, hashKey)?.member;
  }

  #hasUntried(target: Target, tried: ReadonlySet<string>): boolean {
    for (const member of target.members.values()) {
      if (member.breaker.selectable && !tried.has(member.instance.id)) return true;
    }
    return false;
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

  #noInstanceMessage(target: Target): string {
    if (target.members.size === 0) return `no instance of ${target.service} is registered`;
    return `all ${target.members.size} instances of ${target.service} have open circuit breakers (they kept answering UNAVAILABLE); they are tried again after the half-open delay`;
  }

  #annotate(response: FailedResponse, note: string): FailedResponse {
    return { ok: false, error: { ...response.error, message: `${response.error.message} (${note})` } };
  }

  async #attempt(
    member: Member,
    request: RpcRequest,
    signal: AbortSignal,
    target: Target,
  ): Promise<RpcResponse> {
    const started = performance.now();
    try {
      // The caller may have given up while the registry was being read.
      signal.throwIfAborted();
      const response = await member.breaker.execute(
        () => member.connection.call(request, signal),
        member.instance.id,
      );
      // Only answers from a working instance describe its latency; failures would skew the percentile.
      if (
        response.ok ||
        (response.error.code !== 'UNAVAILABLE' && response.error.code !== 'DEADLINE_EXCEEDED')
      ) {
        target.latency.record(performance.now() - started);
      }
      return response;
    } catch (error) {
      if (request.deadline !== undefined && Date.now() >= request.deadline) {
        return deadlineExceeded(request.service, request.method, request.deadline);
      }
      throw error;
    }
  }

  /**
   * Sends the query to `primary`; if no answer comes within the recent latency percentile and
   * the budget allows, sends a backup to another instance. The first decisive answer wins and
   * the other call is cancelled.
   */
  #hedgedAttempt(
    target: Target,
    primary: Member,
    request: RpcRequest,
    signal: AbortSignal,
    callerSignal: AbortSignal | undefined,
    tried: Set<string>,
  ): Promise<RpcResponse> {
    const hedging = this.#options.hedging;
    const threshold =
      hedging === false || target.latency.count < hedging.minSamples
        ? undefined
        : target.latency.percentile(hedging.percentile);
    // A half-open probe is never raced: cockatiel counts a cancelled probe as a success and would
    // close the breaker of an instance nobody has heard from.
    if (threshold === undefined || primary.breaker.state !== 'closed')
      return this.#attempt(primary, request, signal, target);

    return new Promise<RpcResponse>((resolve, reject) => {
      const cancels: DeadlineSignal[] = [];
      let running = 0;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;

      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        for (const cancel of cancels) cancel.abort(new Error('another instance answered first'));
        outcome();
      };
      const launch = (member: Member): void => {
        // Follows the call's signal, and the race's end cancels it on its own.
        const cancel = new DeadlineSignal(undefined, signal);
        cancels.push(cancel);
        running += 1;
        this.#attempt(member, request, cancel.signal, target).then(
          (response) => {
            cancel.dispose();
            running -= 1;
            const decisive = response.ok || response.error.code !== 'UNAVAILABLE';
            if (decisive || running === 0) finish(() => resolve(response));
          },
          (error: unknown) => {
            cancel.dispose();
            running -= 1;
            finish(() => reject(callerSignal?.aborted ? callerSignal.reason : error));
          },
        );
      };

      launch(primary);
      timer = setTimeout(() => {
        timer = undefined;
        if (settled) return;
        const backup = this.#choose(target, tried, undefined);
        if (backup === undefined || tried.has(backup.instance.id) || !target.hedgeBudget!.tryHedge()) return;
        tried.add(backup.instance.id);
        target.hedges += 1;
        launch(backup);
      }, threshold);
    });
  }
}

import type { Balancer } from './balancer.ts';
import type { Balancing, ClusterInvokerConfig } from './cluster-invoker-options.ts';
import { ConsistentHashBalancer } from './consistent-hash-balancer.ts';
import { HedgeBudget } from './hedge-budget.ts';
import type { ConnectionFactory, InstanceConnection } from './instance-connection.ts';
import { InstanceBreaker } from './instance-breaker.ts';
import { LatencyWindow } from './latency-window.ts';
import { LeastPendingBalancer } from './least-pending-balancer.ts';
import { RoundRobinBalancer } from './round-robin-balancer.ts';
import type { ServiceInstance } from './service-instance.ts';
import { TokenBucket } from './token-bucket.ts';

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

/** One instance of the target: where it is, the connection to it, and its circuit breaker. */
export interface Member {
  readonly instance: ServiceInstance;
  readonly connection: InstanceConnection;
  readonly breaker: InstanceBreaker;
}

interface Candidate {
  readonly instance: ServiceInstance;
  readonly pending: number;
  readonly member: Member;
}

/** One service a ClusterInvoker calls: its members as the registry lists them, and how calls are spread and limited. */
export interface Target {
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

/** A target with no members yet; the registry's first listing fills it. */
export function newTarget(service: string, config: ClusterInvokerConfig): Target {
  const rateLimit = config.rateLimit.services[service] ?? config.rateLimit.default;
  return {
    service,
    members: new Map(),
    balancer: balancerFor(config.balancing.services[service] ?? config.balancing.default),
    bucket: rateLimit === undefined ? undefined : new TokenBucket(rateLimit),
    latency: new LatencyWindow(),
    hedgeBudget: config.hedging === false ? undefined : new HedgeBudget(config.hedging.maxShare),
    unwatch: () => {},
    calls: 0,
    retries: 0,
    hedges: 0,
    rateLimited: 0,
  };
}

/** Brings the members in line with the registry's listing: new instances connected, departed ones closed. */
export function reconcile(
  target: Target,
  instances: readonly ServiceInstance[],
  connect: ConnectionFactory,
  breaker: ClusterInvokerConfig['breaker'],
): void {
  const seen = new Set<string>();
  for (const instance of instances) {
    seen.add(instance.id);
    const current = target.members.get(instance.id);
    if (current !== undefined && sameEndpoint(current.instance, instance)) continue;
    if (current !== undefined) void current.connection.close().catch(() => {});
    target.members.set(instance.id, {
      instance,
      connection: connect(instance),
      breaker: new InstanceBreaker(breaker),
    });
  }
  for (const [id, member] of target.members) {
    if (seen.has(id)) continue;
    target.members.delete(id);
    // An instance that left may still be answering calls it took; close() lets them finish.
    void member.connection.close().catch(() => {});
  }
}

/** Prefers instances not tried yet for this call; falls back to any the breakers allow. */
export function chooseMember(
  target: Target,
  tried: ReadonlySet<string>,
  hashKey: string | undefined,
): Member | undefined {
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

export function hasUntried(target: Target, tried: ReadonlySet<string>): boolean {
  for (const member of target.members.values()) {
    if (member.breaker.selectable && !tried.has(member.instance.id)) return true;
  }
  return false;
}

export function selectableCount(target: Target): number {
  let selectable = 0;
  for (const member of target.members.values()) if (member.breaker.selectable) selectable += 1;
  return selectable;
}

export function noInstanceMessage(target: Target): string {
  if (target.members.size === 0) return `no instance of ${target.service} is registered`;
  return `all ${target.members.size} instances of ${target.service} have open circuit breakers (they kept answering UNAVAILABLE); they are tried again after the half-open delay`;
}

export function targetStats(target: Target): TargetStats {
  let pending = 0;
  let openBreakers = 0;
  let halfOpenBreakers = 0;
  for (const member of target.members.values()) {
    pending += member.connection.pending;
    if (member.breaker.state === 'open') openBreakers += 1;
    if (member.breaker.state === 'half-open') halfOpenBreakers += 1;
  }
  return {
    service: target.service,
    instances: target.members.size,
    pending,
    openBreakers,
    halfOpenBreakers,
    calls: target.calls,
    retries: target.retries,
    hedges: target.hedges,
    rateLimited: target.rateLimited,
  };
}

function balancerFor(kind: Balancing): Balancer {
  switch (kind) {
    case 'round-robin':
      return new RoundRobinBalancer();
    case 'least-pending':
      return new LeastPendingBalancer();
    case 'consistent-hash':
      return new ConsistentHashBalancer();
  }
}

function sameEndpoint(a: ServiceInstance, b: ServiceInstance): boolean {
  return a.host === b.host && a.port === b.port && a.tls === b.tls;
}

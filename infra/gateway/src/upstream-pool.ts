import {
  InstanceBreaker,
  RoundRobinBalancer,
  type Balancer,
  type CallJudgement,
  type ServiceInstance,
  type ServiceRegistry,
} from '@strata/rpc';
import { request } from 'undici';
import { UpstreamDispatcher } from './upstream-dispatcher.ts';
import { attemptJudgement, describeAttempt, type AttemptResult } from './upstream-failure.ts';

export interface UpstreamLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface HealthCheckOptions {
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failed requests (timeouts, 5xx) that eject an instance; a refused connection ejects at once. */
  readonly failureThreshold: number;
}

/** One instance of the service: its connection pool and the RPC's circuit breaker, which ejects it. */
export interface UpstreamInstance {
  readonly instance: ServiceInstance;
  readonly origin: string;
  readonly pool: UpstreamDispatcher;
  readonly breaker: InstanceBreaker<AttemptResult>;
  /** Proxy attempts in flight, which a load-aware balancer may read. */
  pending: number;
  ejectedReason: string | undefined;
}

export interface UpstreamView {
  readonly id: string;
  readonly origin: string;
  readonly version: string;
  readonly healthy: boolean;
  readonly consecutiveFailures: number;
  readonly ejectedReason: string | null;
}

/**
 * The live instances of one application service, as the registry reports them, spread by the
 * RPC's balancer and guarded by its circuit breaker: a breaker opens on consecutive failed
 * requests or at once on a refused connection (passive ejection), or on a failed health check
 * (active). The gateway's breakers never half-open by themselves: an ejected instance takes no
 * traffic until its health check passes again.
 */
export class UpstreamPool {
  readonly service: string;
  readonly #health: HealthCheckOptions;
  readonly #logger: UpstreamLogger;
  readonly #instances = new Map<string, UpstreamInstance>();
  readonly #balancer: Balancer = new RoundRobinBalancer();
  readonly #judgement: CallJudgement<AttemptResult>;
  /** Reused by every pick (they are synchronous), so choosing an instance allocates nothing. */
  readonly #candidates: UpstreamInstance[] = [];
  #stopWatch: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(service: string, health: HealthCheckOptions, logger: UpstreamLogger) {
    this.service = service;
    this.#health = health;
    this.#logger = logger;
    this.#judgement = attemptJudgement(service);
  }

  async start(registry: ServiceRegistry): Promise<void> {
    this.#stopWatch = await registry.watch(this.service, (instances) => this.#update(instances));
    this.#timer = setInterval(() => void this.checkAll(), this.#health.intervalMs);
    this.#timer.unref();
  }

  /** An instance whose breaker is closed, skipping those already tried for this request. */
  pick(exclude: ReadonlySet<string> | undefined): UpstreamInstance | undefined {
    const candidates = this.#candidates;
    candidates.length = 0;
    for (const entry of this.#instances.values()) {
      if (entry.breaker.selectable && exclude?.has(entry.instance.id) !== true) candidates.push(entry);
    }
    const chosen = this.#balancer.pick(candidates);
    candidates.length = 0;
    return chosen;
  }

  /** Logs the ejection an attempt's result may have caused (the breaker opened on it). */
  settled(entry: UpstreamInstance, result: AttemptResult): void {
    if (entry.ejectedReason === undefined && entry.breaker.state !== 'closed')
      this.#ejected(entry, describeAttempt(result));
  }

  views(): UpstreamView[] {
    return [...this.#instances.values()].map((entry) => ({
      id: entry.instance.id,
      origin: entry.origin,
      version: entry.instance.version,
      healthy: entry.breaker.state === 'closed',
      consecutiveFailures: entry.breaker.consecutiveFailures,
      ejectedReason: entry.ejectedReason ?? null,
    }));
  }

  async checkAll(): Promise<void> {
    await Promise.all([...this.#instances.values()].map((entry) => this.#check(entry)));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopWatch?.();
    clearInterval(this.#timer);
    await Promise.all([...this.#instances.values()].map((entry) => entry.pool.close()));
    this.#instances.clear();
  }

  #update(instances: readonly ServiceInstance[]): void {
    if (this.#closed) return;
    const seen = new Set<string>();
    for (const instance of instances) {
      seen.add(instance.id);
      const current = this.#instances.get(instance.id);
      const origin = `${instance.tls ? 'https' : 'http'}://${instance.host}:${instance.port}`;
      if (current !== undefined && current.origin === origin) continue;
      if (current !== undefined) void current.pool.close();
      // A newly registered instance is trusted until a check or a request says otherwise:
      // it registered because it is ready to serve.
      const entry: UpstreamInstance = {
        instance,
        origin,
        pool: new UpstreamDispatcher(origin, { connections: 128, keepAliveTimeout: 10_000 }),
        breaker: new InstanceBreaker<AttemptResult>(
          { consecutiveFailures: this.#health.failureThreshold, halfOpenAfterMs: Infinity },
          this.#judgement,
        ),
        pending: 0,
        ejectedReason: undefined,
      };
      this.#instances.set(instance.id, entry);
      this.#logger.info({ service: this.service, instance: instance.id, origin }, 'upstream instance joined');
    }
    for (const [id, entry] of this.#instances) {
      if (seen.has(id)) continue;
      this.#instances.delete(id);
      void entry.pool.close();
      this.#logger.info(
        { service: this.service, instance: id, origin: entry.origin },
        'upstream instance left the registry',
      );
    }
  }

  async #check(entry: UpstreamInstance): Promise<void> {
    let failure: string | undefined;
    try {
      const response = await request(entry.origin + this.#health.path, {
        method: 'GET',
        headersTimeout: this.#health.timeoutMs,
        bodyTimeout: this.#health.timeoutMs,
      });
      await response.body.dump();
      if (response.statusCode >= 300) failure = `health check answered ${response.statusCode}`;
    } catch (error) {
      failure = `health check failed: ${(error as Error).message}`;
    }
    if (this.#closed || this.#instances.get(entry.instance.id) !== entry) return;
    const healthy = entry.breaker.state === 'closed';
    if (failure === undefined) {
      if (!healthy) {
        entry.breaker.readmit();
        entry.ejectedReason = undefined;
        this.#logger.info(
          { service: this.service, instance: entry.instance.id },
          'upstream instance healthy again; re-admitted',
        );
      }
    } else if (healthy) {
      entry.breaker.eject();
      this.#ejected(entry, failure);
    }
  }

  #ejected(entry: UpstreamInstance, reason: string): void {
    entry.ejectedReason = reason;
    this.#logger.warn(
      { service: this.service, instance: entry.instance.id, origin: entry.origin, reason },
      'upstream instance ejected; it takes no traffic until its health check passes',
    );
  }
}

import type { ServiceInstance, ServiceRegistry } from '@strata/rpc';
import { Pool, request } from 'undici';

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

export interface UpstreamInstance {
  readonly instance: ServiceInstance;
  readonly origin: string;
  readonly pool: Pool;
  healthy: boolean;
  consecutiveFailures: number;
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
 * The live instances of one application service, as the registry reports them, with their
 * health: active checks of the health path and passive ejection on failed requests. An ejected
 * instance takes no traffic until a health check passes again.
 */
export class UpstreamPool {
  readonly service: string;
  readonly #health: HealthCheckOptions;
  readonly #logger: UpstreamLogger;
  readonly #instances = new Map<string, UpstreamInstance>();
  #cursor = 0;
  #stopWatch: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(service: string, health: HealthCheckOptions, logger: UpstreamLogger) {
    this.service = service;
    this.#health = health;
    this.#logger = logger;
  }

  async start(registry: ServiceRegistry): Promise<void> {
    this.#stopWatch = await registry.watch(this.service, (instances) => this.#update(instances));
    this.#timer = setInterval(() => void this.checkAll(), this.#health.intervalMs);
    this.#timer.unref();
  }

  /** Round robin over healthy instances, skipping those already tried for this request. */
  pick(exclude: ReadonlySet<string>): UpstreamInstance | undefined {
    const candidates = [...this.#instances.values()].filter(
      (entry) => entry.healthy && !exclude.has(entry.instance.id),
    );
    if (candidates.length === 0) return undefined;
    this.#cursor = (this.#cursor + 1) % 1_000_000_007;
    return candidates[this.#cursor % candidates.length];
  }

  /** A refused or reset connection is proof enough; slower failures need the threshold. */
  reportFailure(entry: UpstreamInstance, reason: string, conclusive: boolean): void {
    entry.consecutiveFailures += 1;
    if (entry.healthy && (conclusive || entry.consecutiveFailures >= this.#health.failureThreshold)) {
      this.#eject(entry, reason);
    }
  }

  reportSuccess(entry: UpstreamInstance): void {
    entry.consecutiveFailures = 0;
  }

  views(): UpstreamView[] {
    return [...this.#instances.values()].map((entry) => ({
      id: entry.instance.id,
      origin: entry.origin,
      version: entry.instance.version,
      healthy: entry.healthy,
      consecutiveFailures: entry.consecutiveFailures,
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
        pool: new Pool(origin, { connections: 128, keepAliveTimeout: 10_000, pipelining: 1 }),
        healthy: true,
        consecutiveFailures: 0,
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
    if (failure === undefined) {
      if (!entry.healthy) {
        entry.healthy = true;
        entry.consecutiveFailures = 0;
        entry.ejectedReason = undefined;
        this.#logger.info(
          { service: this.service, instance: entry.instance.id },
          'upstream instance healthy again; re-admitted',
        );
      }
    } else if (entry.healthy) {
      this.#eject(entry, failure);
    }
  }

  #eject(entry: UpstreamInstance, reason: string): void {
    entry.healthy = false;
    entry.ejectedReason = reason;
    this.#logger.warn(
      { service: this.service, instance: entry.instance.id, origin: entry.origin, reason },
      'upstream instance ejected; it takes no traffic until its health check passes',
    );
  }
}

import { ExponentialBackoff } from 'cockatiel';
import { Etcd3, type IKeyValue, type Lease, type Watcher } from 'etcd3';
import { z } from '@strata/shared-kernel';
import { parseServiceInstance, type ServiceInstance, type ServiceInstanceInput } from './service-instance.ts';
import type { InstancesListener, Registration, ServiceRegistry } from './service-registry.ts';

/** The subset of a pino logger the registry writes to; a tired operator reads these. */
export interface RegistryLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

const optionsSchema = z.object({
  hosts: z.array(z.string().regex(/^https?:\/\//, 'must start with http:// or https://')).min(1),
  prefix: z
    .string()
    .regex(/^\/.*[^/]$/, 'must start with "/" and not end with one')
    .default('/strata/services'),
  /**
   * How long a dead process stays listed. etcd refuses TTLs under its own minimum (about 2 s with
   * default election settings), so tests use 2 and production something like 10.
   */
  leaseTtlSeconds: z.number().int().min(1).max(3600).default(10),
  dialTimeoutMs: z.number().int().min(1).default(3000),
});

export type EtcdRegistryOptions = z.input<typeof optionsSchema> & { logger?: RegistryLogger };

const consoleLogger: RegistryLogger = {
  warn: (details, message) => console.warn(message, details),
};

interface LiveRegistration {
  readonly key: string;
  readonly value: string;
  lease: Lease | undefined;
  stopped: boolean;
  retry: NodeJS.Timeout | undefined;
  /** A re-registration in flight; deregistering waits for it so its new lease is revoked too. */
  establishing: Promise<void> | undefined;
}

/**
 * etcd-backed registry: an instance is a key `<prefix>/<service>/<instanceId>` bound to a lease
 * that this process keeps alive. When the process dies the keepalives stop, the lease expires
 * and etcd deletes the key, so watchers see the instance leave without anyone cleaning up.
 */
export class EtcdRegistry implements ServiceRegistry {
  readonly #client: Etcd3;
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #logger: RegistryLogger;
  readonly #registrations = new Set<LiveRegistration>();
  readonly #watchers = new Set<Watcher>();

  constructor(options: EtcdRegistryOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`invalid etcd registry options: ${reasons.join('; ')}`);
    }
    this.#prefix = parsed.data.prefix;
    this.#ttl = parsed.data.leaseTtlSeconds;
    this.#logger = options.logger ?? consoleLogger;
    this.#client = new Etcd3({
      hosts: parsed.data.hosts,
      dialTimeout: parsed.data.dialTimeoutMs,
      // etcd3 backs watch reconnects off up to 30 s by default: a watch would stay stale that long
      // after etcd is back, and its pending reconnect timer outlives close() just as long.
      faultHandling: { watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }).next() },
    });
  }

  async register(input: ServiceInstanceInput): Promise<Registration> {
    const instance = parseServiceInstance(input, 'etcd registration');
    const live: LiveRegistration = {
      key: this.#key(instance.service, instance.id),
      value: JSON.stringify(instance),
      lease: undefined,
      stopped: false,
      retry: undefined,
      establishing: undefined,
    };
    // The first registration must succeed or fail loudly: a server that cannot be found should not start serving.
    await this.#establish(live);
    this.#registrations.add(live);
    return { instance, deregister: () => this.#deregister(live) };
  }

  async instances(service: string): Promise<ServiceInstance[]> {
    const { instances } = await this.#load(service);
    return [...instances.values()];
  }

  async watch(service: string, listener: InstancesListener): Promise<() => void> {
    const prefix = this.#servicePrefix(service);
    let { instances, revision } = await this.#load(service);
    listener([...instances.values()]);
    const watcher = await this.#client
      .watch()
      .prefix(prefix)
      .startRevision(String(revision + 1n))
      .create();
    this.#watchers.add(watcher);
    let disconnected = false;
    watcher.on('put', (kv) => {
      const instance = this.#decode(kv);
      if (instance === undefined) return;
      instances.set(kv.key.toString(), instance);
      listener([...instances.values()]);
    });
    watcher.on('delete', (kv) => {
      if (instances.delete(kv.key.toString())) listener([...instances.values()]);
    });
    watcher.on('disconnected', (error) => {
      // etcd3 reports every failed reconnect attempt; one line per outage is enough.
      if (disconnected) return;
      disconnected = true;
      this.#logger.warn(
        { service, error: error.message },
        'etcd watch disconnected; instances of this service may be stale until it reconnects',
      );
    });
    watcher.on('connected', () => {
      if (!disconnected) return;
      disconnected = false;
      // The watcher resumes from its last revision, but a compaction while we were away can
      // leave a gap; a fresh listing makes the view right whatever happened meanwhile.
      this.#load(service).then(
        (fresh) => {
          instances = fresh.instances;
          revision = fresh.revision;
          listener([...instances.values()]);
        },
        (error: Error) =>
          this.#logger.warn(
            { service, error: error.message },
            'etcd relisting after reconnect failed; keeping the watched view',
          ),
      );
    });
    return () => {
      this.#watchers.delete(watcher);
      watcher.cancel().catch(() => {});
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#registrations].map((live) => this.#deregister(live)));
    await Promise.allSettled([...this.#watchers].map((watcher) => watcher.cancel()));
    this.#watchers.clear();
    this.#client.close();
  }

  async #establish(live: LiveRegistration): Promise<void> {
    const lease = this.#client.lease(this.#ttl);
    let established = false;
    // Only a lease that carried the key may trigger re-registration: a grant that fails also
    // emits 'lost', and the caller of #establish already retries that failure.
    lease.on('lost', (error) => {
      if (!established || live.stopped || live.lease !== lease) return;
      this.#logger.warn(
        { key: live.key, error: error.message },
        'etcd lease lost (etcd unreachable longer than the TTL, or lease expired); registering again',
      );
      this.#reestablish(live, 0);
    });
    try {
      await lease.put(live.key).value(live.value).exec();
    } catch (error) {
      lease.release();
      throw error;
    }
    if (live.stopped) {
      await lease.revoke().catch(() => {});
      return;
    }
    established = true;
    live.lease = lease;
  }

  /** Retries until etcd takes the registration again, backing off up to the lease TTL. */
  #reestablish(live: LiveRegistration, attempt: number): void {
    if (live.stopped) return;
    const delay = Math.min(this.#ttl * 1000, 100 * 2 ** attempt);
    live.retry = setTimeout(() => {
      live.retry = undefined;
      live.establishing = this.#establish(live).then(
        () => {
          live.establishing = undefined;
          if (!live.stopped) this.#logger.warn({ key: live.key }, 'etcd registration restored');
        },
        (error: Error) => {
          live.establishing = undefined;
          if (live.stopped) return;
          this.#logger.warn(
            { key: live.key, error: error.message, attempt },
            'etcd registration failed; retrying',
          );
          this.#reestablish(live, attempt + 1);
        },
      );
    }, delay);
  }

  async #deregister(live: LiveRegistration): Promise<void> {
    if (live.stopped) return;
    live.stopped = true;
    this.#registrations.delete(live);
    if (live.retry !== undefined) clearTimeout(live.retry);
    // #establish sees `stopped` when its put returns and revokes the lease it just made.
    await live.establishing;
    try {
      await live.lease?.revoke();
    } catch (error) {
      this.#logger.warn(
        { key: live.key, error: (error as Error).message },
        `etcd lease revoke failed; the instance stays listed until its lease expires (${this.#ttl} s)`,
      );
    }
  }

  async #load(service: string): Promise<{ instances: Map<string, ServiceInstance>; revision: bigint }> {
    const response = await this.#client.getAll().prefix(this.#servicePrefix(service)).exec();
    const instances = new Map<string, ServiceInstance>();
    for (const kv of response.kvs) {
      const instance = this.#decode(kv);
      if (instance !== undefined) instances.set(kv.key.toString(), instance);
    }
    return { instances, revision: BigInt(response.header.revision) };
  }

  #decode(kv: IKeyValue): ServiceInstance | undefined {
    const key = kv.key.toString();
    try {
      return parseServiceInstance(JSON.parse(kv.value.toString()), `etcd key ${key}`);
    } catch (error) {
      this.#logger.warn(
        { key, error: (error as Error).message },
        'ignoring unreadable registry entry; fix or delete the key',
      );
      return undefined;
    }
  }

  #servicePrefix(service: string): string {
    return `${this.#prefix}/${service}/`;
  }

  #key(service: string, id: string): string {
    return `${this.#servicePrefix(service)}${id}`;
  }
}

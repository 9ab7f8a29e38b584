import {
  ClusterInvoker,
  connectTcp,
  EtcdRegistry,
  KubernetesRegistry,
  invokerPolicyFor,
  readTlsMaterial,
  RedialingConnection,
  StaticRegistry,
  type Invoke,
  type RegistryLogger,
  type ServiceInstance,
  type ServiceRegistry,
  type TargetStats,
} from '@strata/rpc';
import type { Contract } from '@strata/shared-kernel';
import { kubernetesRegistryOptions, type DataServiceEnv } from './data-service-env.ts';
import type { HealthCheck } from './runtime.module.ts';

export interface DataServiceConnection {
  /** Hand it to `createContractClient({ invoke })`. */
  readonly invoke: Invoke;
  /** For readiness: fails while no instance of the service could take a call. */
  readonly healthCheck: HealthCheck;
  /** The invoker's view of each service it called: instances, open breakers, calls in flight. */
  stats(): TargetStats[];
  /** Closes the connections, then the registry. */
  close(): Promise<void>;
}

/**
 * How an application service reaches one data service in distributed mode: instances from etcd
 * (or one static `host:port`), called through governance's ClusterInvoker over TCP, with mutual
 * TLS unless plaintext was asked for by name. Balancing, timeout, client rate limit and hedging
 * are those the contracts' call policies declare; STRATA_RPC_RATE_LIMITS may set the rate limit.
 */
export async function connectDataService(options: {
  service: string;
  /** The contracts called on this service; their call policies configure governance. */
  contracts: readonly Contract[];
  env: DataServiceEnv;
  /** `host:port` when `STRATA_REGISTRY=static`. */
  staticAddress?: string;
  logger: RegistryLogger;
}): Promise<DataServiceConnection> {
  const { service, env } = options;
  const tls = env.STRATA_RPC_PLAINTEXT
    ? false
    : await readTlsMaterial({
        caFile: env.STRATA_TLS_CA_FILE!,
        certFile: env.STRATA_TLS_CERT_FILE!,
        keyFile: env.STRATA_TLS_KEY_FILE!,
      });
  const registry = registryFor(options);
  const policy = invokerPolicyFor(service, options.contracts);
  const invoker = new ClusterInvoker({
    ...policy,
    // The invoker's own per-service limits, which win over the contracts' default.
    rateLimit: { ...policy.rateLimit, services: env.STRATA_RPC_RATE_LIMITS ?? {} },
    registry,
    connect: (instance: ServiceInstance) =>
      new RedialingConnection(
        () =>
          connectTcp({
            host: instance.host,
            port: instance.port,
            tls: tls === false ? false : { ...tls, serverService: instance.service },
          }),
        `${instance.service} ${instance.id} at ${instance.host}:${instance.port}`,
      ),
  });
  return {
    invoke: (request, invokeOptions) => invoker.invoke(request, invokeOptions),
    healthCheck: {
      name: service,
      async check() {
        if ((await invoker.selectableInstances(service)) === 0) {
          throw new Error(
            `no instance of ${service} can take calls (none registered, or every circuit breaker open)`,
          );
        }
      },
    },
    stats: () => invoker.stats(),
    async close() {
      await invoker.close();
      await registry.close();
    },
  };

  function registryFor({ staticAddress, logger }: typeof options): ServiceRegistry {
    if (env.STRATA_REGISTRY === 'static') {
      if (staticAddress === undefined) {
        throw new Error(`STRATA_REGISTRY=static needs the static host:port of ${service}`);
      }
      const [host, port] = staticAddress.split(':') as [string, string];
      return new StaticRegistry([
        { id: `${service}-static`, service, host, port: Number(port), tls: !env.STRATA_RPC_PLAINTEXT },
      ]);
    }
    if (env.STRATA_REGISTRY === 'kubernetes') {
      // The data service's Service names its port rpc; it listens with mutual TLS unless told plaintext.
      return new KubernetesRegistry({
        ...kubernetesRegistryOptions(env),
        portNames: ['rpc'],
        tls: !env.STRATA_RPC_PLAINTEXT,
        logger,
      });
    }
    return new EtcdRegistry({
      hosts: env.STRATA_ETCD_HOSTS,
      logger,
      ...(env.STRATA_ETCD_PREFIX === undefined ? {} : { prefix: env.STRATA_ETCD_PREFIX }),
    });
  }
}

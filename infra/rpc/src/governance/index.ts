export type { Balancer, BalancerCandidate } from './balancer.ts';
export { ClusterInvoker, type ClusterInvokerOptions, type TargetStats } from './cluster-invoker.ts';
export { ConsistentHashBalancer } from './consistent-hash-balancer.ts';
export { deadlineExceeded, outgoingDeadline, remainingMs } from '../deadline/index.ts';
export { EtcdRegistry, type EtcdRegistryOptions, type RegistryLogger } from './etcd-registry.ts';
export { HashRing } from './hash-ring.ts';
export { HedgeBudget } from './hedge-budget.ts';
export { invokerPolicyFor } from './invoker-policy.ts';
export { InProcessRegistry } from './in-process-registry.ts';
export { instancesOf } from './endpoint-slice.ts';
export { KubernetesRegistry, type KubernetesRegistryOptions } from './kubernetes-registry.ts';
export type { ConnectionFactory, InstanceConnection } from './instance-connection.ts';
export {
  InstanceBreaker,
  rpcCallJudgement,
  type BreakerState,
  type CallJudgement,
  type InstanceBreakerOptions,
} from './instance-breaker.ts';
export { LatencyWindow } from './latency-window.ts';
export { LeastPendingBalancer } from './least-pending-balancer.ts';
export { RedialingConnection, type DialledConnection } from './redialing-connection.ts';
export { RoundRobinBalancer } from './round-robin-balancer.ts';
export {
  parseServiceInstance,
  serviceInstanceSchema,
  type ServiceInstance,
  type ServiceInstanceInput,
} from './service-instance.ts';
export type { InstancesListener, Registration, ServiceRegistry } from './service-registry.ts';
export { StaticRegistry } from './static-registry.ts';
export { TokenBucket } from './token-bucket.ts';

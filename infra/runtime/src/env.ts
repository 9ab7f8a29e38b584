// `@strata/runtime/env`: the typed configuration loader and its field types, without the HTTP kit
// (NestJS needs SWC for its decorators; a process run by plain Node, like the gateway, imports this).
export { ConfigError, loadEnvConfig, loadProcessConfig } from './env-config.ts';
export { deploymentName, flag, hostPort, list, listOf, logLevel, port, redisUrl } from './env-fields.ts';
export {
  kubernetesDiscoveryEnvShape,
  kubernetesRegistryOptions,
  type KubernetesDiscoveryEnv,
} from './data-service-env.ts';

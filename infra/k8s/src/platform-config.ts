import {
  GATEWAY,
  PAYMENT_SIMULATOR,
  TOKEN_ISSUER,
  type Platform,
  type PlatformService,
} from './platform-services.ts';
import { PORTS } from './ports.ts';
import { DRAIN_TIMEOUT_MS } from './termination.ts';

/*
 * The ConfigMaps: one the whole platform shares and one per service, each written as an env file
 * that kustomize's configMapGenerator turns into a ConfigMap (and an overlay merges its values in).
 */

export const PLATFORM_CONFIG = 'strata-platform';

/** The non-secret variables of one service, written as `<service>.env` for its ConfigMap. */
export function serviceConfig(platform: Platform, service: PlatformService): Record<string, string> {
  const jwksUrl = `http://${TOKEN_ISSUER}:${PORTS.http}/.well-known/jwks.json`;
  switch (service.tier) {
    case 'data-service':
      return {
        STRATA_RPC_HOST: '0.0.0.0',
        STRATA_RPC_PORT: String(PORTS.rpc),
        STRATA_HEALTH_HOST: '0.0.0.0',
        STRATA_HEALTH_PORT: String(PORTS.health),
        STRATA_TLS_ALLOWED_CALLERS: service.callers.join(','),
        STRATA_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
        // The outside payment provider the checkout calls; the dev overlay points it at the simulator.
        ...(service.name === platform.hostOf('ordering')
          ? { STRATA_PAYMENT_PROVIDER_URL: `http://${PAYMENT_SIMULATOR}:${PORTS.paymentSimulator}` }
          : {}),
      };
    case 'application-service': {
      const consumes = platform.consumers(service.name);
      return {
        STRATA_HTTP_HOST: '0.0.0.0',
        STRATA_HTTP_PORT: String(PORTS.http),
        // The admin port: /metrics for Prometheus (the probes stay on the HTTP port).
        STRATA_HEALTH_HOST: '0.0.0.0',
        STRATA_HEALTH_PORT: String(PORTS.health),
        ...(service.name === TOKEN_ISSUER ? {} : { STRATA_JWKS_URL: jwksUrl }),
        // One consumer group per read model, shared by every instance of the deployment.
        ...('catalog' in consumes ? { STRATA_CACHE_CONSUMER_GROUP: `${service.name}.course-cache` } : {}),
        ...('ordering' in consumes ? { STRATA_SALES_CONSUMER_GROUP: `${service.name}.sales` } : {}),
        ...('notification' in consumes ? { STRATA_PUSH_CONSUMER_GROUP: `${service.name}.push` } : {}),
      };
    }
    case 'gateway':
      return {
        STRATA_GATEWAY_HOST: '0.0.0.0',
        STRATA_GATEWAY_PORT: String(PORTS.http),
        // Reached by the kubelet's probes and `kubectl port-forward`; its NetworkPolicy admits no pod.
        STRATA_GATEWAY_ADMIN_HOST: '0.0.0.0',
        STRATA_GATEWAY_ADMIN_PORT: String(PORTS.admin),
        STRATA_GATEWAY_JWKS_URL: jwksUrl,
        STRATA_GATEWAY_JWT_ALGORITHMS: 'EdDSA',
        STRATA_GATEWAY_RATE_LIMIT_STORE: 'redis',
        STRATA_GATEWAY_JOB_QUEUES: platform.dataServices.map((data) => data.name).join(','),
      };
    case 'link-redirect':
      return {
        STRATA_REDIRECT_HOST: '0.0.0.0',
        STRATA_REDIRECT_PORT: String(PORTS.redirect),
        STRATA_HEALTH_HOST: '0.0.0.0',
        STRATA_HEALTH_PORT: String(PORTS.health),
      };
    case 'payment-simulator':
      return {
        PAYMENT_SIMULATOR_HOST: '0.0.0.0',
        PAYMENT_SIMULATOR_PORT: String(PORTS.paymentSimulator),
        PAYMENT_SIMULATOR_WEBHOOK_URL: `http://${GATEWAY}:${PORTS.http}/api/learner/payments/webhook`,
      };
  }
}

/** What every process of the platform reads; the overlays merge their own values in. */
export function platformConfig(): Record<string, string> {
  return {
    // The cluster's EndpointSlices replace etcd: Services select the pods, readiness admits them.
    STRATA_REGISTRY: 'kubernetes',
    STRATA_KUBERNETES_DISCOVERY: 'endpointslices',
    STRATA_LOG_LEVEL: 'info',
    STRATA_GATEWAY_LOG_LEVEL: 'info',
    // Outside the platform: operators' services, referenced by name (README: Strimzi, MariaDB, Redis).
    STRATA_MYSQL_HOST: 'mariadb',
    STRATA_MYSQL_PORT: '3306',
    STRATA_MYSQL_USER: 'strata',
    STRATA_KAFKA_BROKERS: 'strata-kafka-bootstrap.kafka.svc:9092',
    STRATA_REDIS_URL: 'redis://redis:6379',
    STRATA_GATEWAY_RATE_LIMIT_PREFIX: 'strata:gateway:rl:',
    // Tracing stays off until an overlay sets OTEL_EXPORTER_OTLP_ENDPOINT; then one new trace in
    // ten is kept, and every hop follows that decision (ADR 0032: every trace costs too much CPU).
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
  };
}

/** A container's variables from the ConfigMaps: the platform's, then its service's own. */
export const envFrom = (service: string) => [
  { configMapRef: { name: PLATFORM_CONFIG } },
  { configMapRef: { name: service } },
];

import {
  deployedServices,
  GATEWAY,
  LINK_REDIRECT,
  PAYMENT_SIMULATOR,
  PAYMENT_WEBHOOK_RECEIVER,
  TOKEN_ISSUER,
  type Platform,
  type PlatformService,
  type Tier,
} from './platform-services.ts';

/*
 * The Kubernetes objects of one release, as plain data: `generate` writes them as the kustomize
 * base, the cert-manager component and the overlays' generated parts. What each process is told
 * mirrors scripts/start-distributed.ts (the same variables each main.ts documents), with the
 * cluster standing in for what the supervisor did there: Services instead of etcd
 * (STRATA_REGISTRY=kubernetes), Secrets instead of generated certificate files, a Job instead of
 * the `migrate` run before the data services start.
 */

export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Metadata };
interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The image every service runs; overlays pin the tag with kustomize's `images:`. */
export const IMAGE = 'ghcr.io/strata-platform/strata';
export const PORTS = {
  /** A data service's aggregate RPC (TCP, mutual TLS). */
  rpc: 7000,
  /** A process's admin listener (plain HTTP): `/health/*` for probes, `/metrics` for Prometheus. */
  health: 9000,
  http: 8080,
  admin: 8081,
  redirect: 8090,
  paymentSimulator: 4242,
};
/** Shared by every data service's config: how long in-flight calls may finish after SIGTERM. */
export const DRAIN_TIMEOUT_MS = 10_000;
/**
 * The pause before SIGTERM: kube-proxy and the callers' EndpointSlice watches need a moment to
 * drop the pod after it turns terminating, or new calls still arrive after the listener closed.
 */
export const PRE_STOP_SECONDS = 5;
/** preStop + drain + closing consumers, relay and pools, with margin; the kubelet kills after it. */
export const GRACE_SECONDS: Record<Tier, number> = {
  'data-service': PRE_STOP_SECONDS + DRAIN_TIMEOUT_MS / 1000 + 20,
  'application-service': PRE_STOP_SECONDS + 25,
  gateway: PRE_STOP_SECONDS + DRAIN_TIMEOUT_MS / 1000 + 10,
  'link-redirect': PRE_STOP_SECONDS + 20,
  'payment-simulator': 10,
};
const USER_ID = 10001;
const TLS_DIR = '/etc/strata/tls';

export const PLATFORM_CONFIG = 'strata-platform';
export const SECRETS = {
  mysql: 'strata-mysql',
  gatewayAdmin: 'strata-gateway-admin',
  paymentWebhook: 'strata-payment-webhook',
  linkRedirect: 'strata-link-redirect',
  tls: (service: string) => `strata-tls-${service}`,
};
export const DISCOVERY_ACCOUNT = 'strata-discovery';
export const MIGRATION_READER_ACCOUNT = 'strata-migration-reader';

export const labels = (service: PlatformService): Record<string, string> => ({
  'app.kubernetes.io/name': service.name,
  'app.kubernetes.io/component': service.tier,
  'app.kubernetes.io/part-of': 'strata',
});
const selector = (name: string) => ({ 'app.kubernetes.io/name': name });

/** A release as the Job names carry it: `0.1.0` → `0-1-0` (Jobs are immutable, so each release gets its own). */
export const releaseSuffix = (version: string) => version.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
export const migrationJobName = (service: string, version: string) =>
  `migrate-${service}-${releaseSuffix(version)}`;

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

const servicePort = (service: PlatformService): { name: string; port: number } => {
  switch (service.tier) {
    case 'data-service':
      return { name: 'rpc', port: PORTS.rpc };
    case 'link-redirect':
      return { name: 'http', port: PORTS.redirect };
    case 'payment-simulator':
      return { name: 'http', port: PORTS.paymentSimulator };
    default:
      return { name: 'http', port: PORTS.http };
  }
};

function probes(service: PlatformService): Record<string, unknown> {
  const http = (path: string, port: string) => ({ httpGet: { path, port } });
  const timing = {
    readiness: { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
    liveness: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    // Start-up connects MariaDB, Kafka (a consumer group join) and Redis: up to two minutes.
    startup: { periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 60 },
  };
  const each = (ready: object, live: object) => ({
    readinessProbe: { ...ready, ...timing.readiness },
    livenessProbe: { ...live, ...timing.liveness },
    startupProbe: { ...live, ...timing.startup },
  });
  switch (service.tier) {
    case 'data-service':
      // Ready turns 503 on SIGTERM, so the EndpointSlice drops the pod before the listener drains.
      return each(http('/health/ready', 'health'), http('/health/live', 'health'));
    case 'application-service':
      // /health checks the data services it calls (readiness); liveness must not restart a pod
      // because a dependency is down, so it asks only that the HTTP app answers.
      return each(http('/health', 'http'), http('/openapi.json', 'http'));
    case 'gateway':
      return each(http('/health', 'admin'), http('/health', 'admin'));
    case 'link-redirect':
      return each(http('/healthz', 'http'), http('/healthz', 'http'));
    case 'payment-simulator':
      // An outside system stood in; it has no health route, a listening port is its liveness.
      return each({ tcpSocket: { port: 'http' } }, { tcpSocket: { port: 'http' } });
  }
}

const secretEnv = (name: string, secret: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** Secret variables and the pod's own address; everything else comes from the ConfigMaps. */
function secretsOf(service: PlatformService, platform: Platform): Record<string, unknown>[] {
  const podIp = { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };
  switch (service.tier) {
    case 'data-service':
      return [
        podIp,
        { name: 'STRATA_RPC_ADVERTISE_HOST', value: '$(POD_IP)' },
        secretEnv('STRATA_MYSQL_PASSWORD', SECRETS.mysql, 'password'),
        ...tlsEnv(),
      ];
    case 'application-service':
      return [
        podIp,
        { name: 'STRATA_HTTP_ADVERTISE_HOST', value: '$(POD_IP)' },
        ...(service.name === PAYMENT_WEBHOOK_RECEIVER
          ? [secretEnv('STRATA_PAYMENT_WEBHOOK_SECRET', SECRETS.paymentWebhook, 'secret')]
          : []),
        ...tlsEnv(),
      ];
    case 'gateway':
      return [secretEnv('STRATA_GATEWAY_ADMIN_TOKEN', SECRETS.gatewayAdmin, 'token')];
    case 'link-redirect':
      return [
        // Names this instance's consumer in the visit stream; a replaced pod's entries are claimed by the others.
        { name: 'STRATA_REDIRECT_INSTANCE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        secretEnv('STRATA_VISITOR_HASH_KEY', SECRETS.linkRedirect, 'visitor-hash-key'),
        ...tlsEnv(),
      ];
    case 'payment-simulator':
      void platform;
      return [secretEnv('PAYMENT_SIMULATOR_WEBHOOK_SECRET', SECRETS.paymentWebhook, 'secret')];
  }
}

function tlsEnv(): Record<string, unknown>[] {
  // cert-manager's Secret layout (kubernetes.io/tls plus ca.crt); an operator's own Secrets use the same keys.
  return [
    { name: 'STRATA_TLS_CA_FILE', value: `${TLS_DIR}/ca.crt` },
    { name: 'STRATA_TLS_CERT_FILE', value: `${TLS_DIR}/tls.crt` },
    { name: 'STRATA_TLS_KEY_FILE', value: `${TLS_DIR}/tls.key` },
  ];
}

const usesTls = (tier: Tier) =>
  tier === 'data-service' || tier === 'application-service' || tier === 'link-redirect';
/** Discovers peers through the Kubernetes API, so it needs a token that may read EndpointSlices. */
const discovers = (tier: Tier) =>
  tier === 'application-service' || tier === 'gateway' || tier === 'link-redirect';

const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

function resources(tier: Tier): Record<string, unknown> {
  const small = tier === 'payment-simulator' || tier === 'link-redirect';
  return {
    requests: { cpu: small ? '50m' : '100m', memory: small ? '128Mi' : '256Mi' },
    limits: { cpu: '1', memory: small ? '256Mi' : '512Mi' },
  };
}

const envFrom = (service: string) => [
  { configMapRef: { name: PLATFORM_CONFIG } },
  { configMapRef: { name: service } },
];

export function deployment(platform: Platform, service: PlatformService, version: string): K8sObject {
  const port = servicePort(service);
  const ports = [
    { name: port.name, containerPort: port.port, protocol: 'TCP' },
    ...(metricsPortOf(service)?.name === 'health'
      ? [{ name: 'health', containerPort: PORTS.health, protocol: 'TCP' }]
      : []),
    ...(service.tier === 'gateway' ? [{ name: 'admin', containerPort: PORTS.admin, protocol: 'TCP' }] : []),
  ];
  const volumes: Record<string, unknown>[] = [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }];
  const mounts: Record<string, unknown>[] = [{ name: 'tmp', mountPath: '/tmp' }];
  if (usesTls(service.tier)) {
    volumes.push({
      name: 'tls',
      secret: { secretName: SECRETS.tls(service.name), defaultMode: 0o440 },
    });
    mounts.push({ name: 'tls', mountPath: TLS_DIR, readOnly: true });
  }
  const image = `${IMAGE}:${version}`;
  const initContainers =
    service.tier === 'data-service'
      ? [
          {
            // The rollout waits for this release's migration Job: a pod of the new code never
            // serves a schema it does not know, and one apply keeps the order (ADR 0020).
            name: 'await-migration',
            image,
            args: ['await-job', migrationJobName(service.name, version)],
            resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
            securityContext: containerSecurity,
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          },
        ]
      : [];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, labels: labels(service) },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(service.name) },
      // Surge first: the old pods serve until a new one is ready.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(service), ...scrapeAnnotations(service) },
        spec: {
          serviceAccountName:
            service.tier === 'data-service'
              ? MIGRATION_READER_ACCOUNT
              : discovers(service.tier)
                ? DISCOVERY_ACCOUNT
                : 'default',
          automountServiceAccountToken: service.tier !== 'payment-simulator',
          terminationGracePeriodSeconds: GRACE_SECONDS[service.tier],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: USER_ID,
            runAsGroup: USER_ID,
            fsGroup: USER_ID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...(initContainers.length > 0 ? { initContainers } : {}),
          containers: [
            {
              name: service.name,
              image,
              args: [service.name],
              ports,
              envFrom: envFrom(service.name),
              env: secretsOf(service, platform),
              ...probes(service),
              lifecycle: { preStop: { exec: { command: ['sleep', String(PRE_STOP_SECONDS)] } } },
              resources: resources(service.tier),
              securityContext: containerSecurity,
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}

export function service(svc: PlatformService): K8sObject {
  const port = servicePort(svc);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc.name, labels: labels(svc) },
    spec: {
      // Headless for the services callers balance themselves (their registry lists every pod, by
      // EndpointSlices or SRV records); a virtual IP for those an ingress or a browser reaches.
      ...(svc.tier === 'data-service' || svc.tier === 'application-service' ? { clusterIP: 'None' } : {}),
      selector: selector(svc.name),
      ports: [{ name: port.name, port: port.port, targetPort: port.name, protocol: 'TCP' }],
    },
  };
}

export function podDisruptionBudget(svc: PlatformService): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: svc.name, labels: labels(svc) },
    // One pod at a time: never blocks a node drain at one replica, keeps the rest serving at more.
    spec: { maxUnavailable: 1, selector: { matchLabels: selector(svc.name) } },
  };
}

/**
 * Where Prometheus scrapes a pod: the admin port (`/metrics` beside `/health/*`) of every Strata
 * process; the gateway's admin port wants its admin token (prometheus/strata-scrape-configs.yml
 * sends it). The payment simulator stands in for an outside system and has none.
 */
export function metricsPortOf(svc: PlatformService): { name: string; port: number } | undefined {
  switch (svc.tier) {
    case 'data-service':
    case 'application-service':
    case 'link-redirect':
      return { name: 'health', port: PORTS.health };
    case 'gateway':
      return { name: 'admin', port: PORTS.admin };
    case 'payment-simulator':
      return undefined;
  }
}

/** The label of the Prometheus pods the NetworkPolicies let reach the admin ports, in any namespace. */
export const PROMETHEUS_POD = { 'app.kubernetes.io/name': 'prometheus' };

/**
 * The `prometheus.io/*` annotations most Prometheus set-ups (the community Helm chart's
 * `kubernetes-pods` job, prometheus/strata-scrape-configs.yml) read to find a pod's metrics.
 */
function scrapeAnnotations(svc: PlatformService): { annotations?: Record<string, string> } {
  const port = metricsPortOf(svc);
  if (port === undefined) return {};
  return {
    annotations: {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port.port),
      'prometheus.io/path': '/metrics',
    },
  };
}

/**
 * Who may open a connection to a service's serving port: for a data service, the application
 * services that call a context it hosts (config/topology.ts); for an application service, the
 * gateway (and, for the token issuer, the services that fetch its JWKS); the gateway and the short
 * domain from anywhere (the ingress in front of them); the admin port from Prometheus' pods. The
 * namespace's default deny refuses the rest.
 */
export function networkPolicy(svc: PlatformService): K8sObject {
  const port = servicePort(svc);
  const metrics = metricsPortOf(svc);
  const from =
    svc.tier === 'gateway' || svc.tier === 'link-redirect'
      ? undefined
      : [
          {
            podSelector: {
              matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: svc.callers }],
            },
          },
        ];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: svc.name, labels: labels(svc) },
    spec: {
      podSelector: { matchLabels: selector(svc.name) },
      policyTypes: ['Ingress'],
      ingress: [
        { ...(from === undefined ? {} : { from }), ports: [{ protocol: 'TCP', port: port.name }] },
        // Prometheus, and only it, reaches the admin port for /metrics.
        ...(metrics === undefined
          ? []
          : [
              {
                from: [{ namespaceSelector: {}, podSelector: { matchLabels: PROMETHEUS_POD } }],
                ports: [{ protocol: 'TCP', port: metrics.name }],
              },
            ]),
      ],
    },
  };
}

export function defaultDeny(): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny-ingress', labels: { 'app.kubernetes.io/part-of': 'strata' } },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}

export function migrationJob(svc: PlatformService, version: string): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: migrationJobName(svc.name, version),
      labels: {
        ...labels(svc),
        'app.kubernetes.io/component': 'migration',
        'app.kubernetes.io/version': version,
      },
    },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      template: {
        metadata: {
          labels: { 'app.kubernetes.io/name': `${svc.name}-migrate`, 'app.kubernetes.io/part-of': 'strata' },
        },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: USER_ID,
            runAsGroup: USER_ID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'migrate',
              image: `${IMAGE}:${version}`,
              args: [svc.name, 'migrate'],
              envFrom: envFrom(svc.name),
              env: [secretEnv('STRATA_MYSQL_PASSWORD', SECRETS.mysql, 'password')],
              resources: resources(svc.tier),
              securityContext: containerSecurity,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

/** Read access to EndpointSlices for discovery, and to Jobs for the data services' migration wait. */
export function accessControl(): K8sObject[] {
  const partOf = { 'app.kubernetes.io/part-of': 'strata' };
  const account = (name: string): K8sObject => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, labels: partOf },
  });
  const role = (name: string, rules: object[]): K8sObject[] => [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, labels: partOf }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, labels: partOf },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name }],
    },
  ];
  return [
    account(DISCOVERY_ACCOUNT),
    ...role(DISCOVERY_ACCOUNT, [
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
    ]),
    account(MIGRATION_READER_ACCOUNT),
    ...role(MIGRATION_READER_ACCOUNT, [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get'] }]),
  ];
}

export function horizontalPodAutoscaler(svc: PlatformService): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: svc.name, labels: labels(svc) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name },
      minReplicas: 2,
      maxReplicas: svc.tier === 'gateway' ? 10 : 6,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
      // Scale down slowly: a pod removed drains its calls and SSE streams reconnect elsewhere.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

/** The stateless tiers an HPA scales in prod: they keep no state between requests. */
export function autoscaled(platform: Platform): PlatformService[] {
  return deployedServices(platform).filter((svc) => svc.tier !== 'data-service');
}

/**
 * cert-manager (a component, for clusters that run it): a self-signed root makes the platform's
 * own CA, and the CA issues each service a certificate naming it (CN and DNS name = service
 * name, as ADR 0004's peer check reads it) for both server and client use.
 */
export function certManager(platform: Platform): K8sObject[] {
  const partOf = { 'app.kubernetes.io/part-of': 'strata' };
  const tlsServices = deployedServices(platform).filter((svc) => usesTls(svc.tier));
  return [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'strata-selfsigned', labels: partOf },
      spec: { selfSigned: {} },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'strata-rpc-ca', labels: partOf },
      spec: {
        isCA: true,
        commonName: 'strata-rpc-ca',
        secretName: 'strata-rpc-ca',
        duration: '87600h',
        privateKey: { algorithm: 'ECDSA', size: 256 },
        issuerRef: { name: 'strata-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'strata-rpc', labels: partOf },
      spec: { ca: { secretName: 'strata-rpc-ca' } },
    },
    ...tlsServices.map((svc): K8sObject => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: SECRETS.tls(svc.name), labels: labels(svc) },
      spec: {
        secretName: SECRETS.tls(svc.name),
        commonName: svc.name,
        dnsNames: [svc.name],
        duration: '2160h',
        renewBefore: '360h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
        issuerRef: { name: 'strata-rpc', kind: 'Issuer', group: 'cert-manager.io' },
      },
    })),
  ];
}

export { deployedServices, LINK_REDIRECT };

/**
 * Prometheus' scrape jobs for the platform without the Prometheus Operator (no ServiceMonitor):
 * pods found through the Kubernetes API, kept when they are Strata's and annotated for scraping,
 * scraped on the annotated admin port. Labelled as `npm run observe` labels its targets (`service`,
 * the series' own labels first), so the alert rules in infra/observe/rules apply unchanged. The
 * gateway's job sends its admin token from the mounted Secret `strata-gateway-admin`.
 */
export function prometheusScrapeConfigs(): Record<string, unknown> {
  const meta = '__meta_kubernetes_pod_';
  const job = (name: string, gateway: boolean) => ({
    job_name: name,
    honor_labels: true,
    kubernetes_sd_configs: [{ role: 'pod' }],
    ...(gateway
      ? {
          authorization: {
            type: 'Bearer',
            credentials_file: `/etc/prometheus/secrets/${SECRETS.gatewayAdmin}/token`,
          },
        }
      : {}),
    relabel_configs: [
      {
        source_labels: [`${meta}label_app_kubernetes_io_part_of`, `${meta}annotation_prometheus_io_scrape`],
        regex: 'strata;true',
        action: 'keep',
      },
      {
        source_labels: [`${meta}label_app_kubernetes_io_name`],
        regex: GATEWAY,
        action: gateway ? 'keep' : 'drop',
      },
      // One target per pod (a pod declares several ports; identical targets are merged).
      {
        source_labels: ['__address__', `${meta}annotation_prometheus_io_port`],
        regex: '([^:]+)(?::\\d+)?;(\\d+)',
        replacement: '$1:$2',
        target_label: '__address__',
      },
      {
        source_labels: [`${meta}annotation_prometheus_io_path`],
        regex: '(.+)',
        target_label: '__metrics_path__',
      },
      { source_labels: [`${meta}label_app_kubernetes_io_name`], target_label: 'service' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: [`${meta}name`], target_label: 'pod' },
    ],
  });
  return { scrape_configs: [job('strata', false), job('strata-gateway', true)] };
}

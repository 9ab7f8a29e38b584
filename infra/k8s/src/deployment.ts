import { serviceAccountOf } from './access-control.ts';
import { containerSecurity, IMAGE, resources, USER_ID } from './container.ts';
import { labels, selector, type K8sObject } from './k8s-object.ts';
import { migrationJobName } from './migration-job.ts';
import { envFrom } from './platform-config.ts';
import type { PlatformService } from './platform-services.ts';
import { PORTS, servicePort } from './ports.ts';
import { probes } from './probes.ts';
import { metricsPortOf, scrapeAnnotations } from './scrape-config.ts';
import { SECRETS, secretsOf, TLS_DIR, usesTls } from './secrets.ts';
import { GRACE_SECONDS, PRE_STOP_SECONDS } from './termination.ts';

/** A service's pods: one replica (the prod overlay's HPA scales the stateless tiers), rolled surge-first. */
export function deployment(service: PlatformService, version: string): K8sObject {
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
          serviceAccountName: serviceAccountOf(service.tier),
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
              env: secretsOf(service),
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

import { containerSecurity, IMAGE, resources, USER_ID } from './container.ts';
import { labels, type K8sObject } from './k8s-object.ts';
import { envFrom } from './platform-config.ts';
import type { PlatformService } from './platform-services.ts';
import { SECRETS, secretEnv } from './secrets.ts';

/** A release as the Job names carry it: `0.1.0` → `0-1-0` (Jobs are immutable, so each release gets its own). */
export const releaseSuffix = (version: string) => version.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
export const migrationJobName = (service: string, version: string) =>
  `migrate-${service}-${releaseSuffix(version)}`;

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

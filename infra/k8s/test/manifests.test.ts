import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Certificate, Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { topology } from '../../../config/topology.ts';
import { generatedFiles, releaseOf } from '../src/generate.ts';
import { platformOf, servicesWithMain } from '../src/platform-services.ts';
import { policyViolations } from './support/policy.ts';
import { k8sDir, named, render, root, type Loose, type RenderedObject } from './support/rendered.ts';

// Every kind the overlays may hold, with its schema; a kind not listed fails validation by name.
const schemas: Record<string, new (data: Loose) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'cert-manager.io/v1/Issuer': Issuer,
  'cert-manager.io/v1/Certificate': Certificate,
};

function schemaProblems(objects: RenderedObject[]): string[] {
  return objects.flatMap((object) => {
    const where = `${object.kind} ${object.metadata.name}`;
    const Model = schemas[`${object.apiVersion}/${object.kind}`];
    if (Model === undefined) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      return [`${where}: ${(error as Error).message}`];
    }
  });
}

const platform = platformOf(topology, root);
const dataNames = platform.dataServices.map((service) => service.name);
const appNames = platform.applicationServices.map((service) => service.name);
const [dev, prod] = await Promise.all([render('overlays/dev'), render('overlays/prod')]);
const overlays = { dev, prod };

describe('infra/k8s', () => {
  it('is what `npm run k8s:generate` makes of config/topology.ts (run it when this fails)', async () => {
    for (const [path, content] of generatedFiles(platform, releaseOf(root))) {
      expect({ path, content: await readFile(join(k8sDir, path), 'utf8') }).toEqual({ path, content });
    }
  });

  it('deploys every service of the topology that has a main.ts, the gateway and the short domain', () => {
    const expected = [...dataNames, ...appNames, 'gateway', 'link-redirect'].sort();
    // The topology and the disk agree: a service with a main.ts the topology forgot would be missed.
    expect([...servicesWithMain(root)].sort()).toEqual([...dataNames, ...appNames].sort());
    expect([...named(prod, 'Deployment').keys()].sort()).toEqual(expected);
    expect([...named(dev, 'Deployment').keys()].sort()).toEqual([...expected, 'payment-simulator'].sort());
    for (const objects of [dev, prod]) {
      expect([...named(objects, 'Service').keys()].sort()).toEqual(
        [...named(objects, 'Deployment').keys()].sort(),
      );
    }
  });

  it.each(Object.entries(overlays))(
    '%s: every object validates against the Kubernetes API schemas',
    (_, objects) => {
      expect(objects.length).toBeGreaterThan(40);
      expect(schemaProblems(objects)).toEqual([]);
    },
  );

  it('schema validation catches a malformed object', () => {
    const broken = structuredClone(named(prod, 'Deployment').get('gateway')!);
    broken.spec.replicas = 'two';
    expect(schemaProblems([broken])).toEqual([expect.stringContaining('Deployment gateway')]);
    expect(
      schemaProblems([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]),
    ).toEqual(['Widget w: no schema for example.com/v1 Widget']);
  });

  it.each(Object.entries(overlays))(
    '%s passes the policy: probes, resources, non-root, read-only root, tags, PDB, NetworkPolicy, migrations first',
    (_, objects) => {
      expect(policyViolations(objects)).toEqual([]);
    },
  );

  it('the policy names each planted fault', () => {
    const objects = structuredClone(prod);
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'learner-api')!;
    const container = deployment.spec.template.spec.containers[0];
    delete container.readinessProbe;
    delete container.resources.limits.memory;
    container.securityContext.readOnlyRootFilesystem = false;
    container.image = 'ghcr.io/strata-platform/strata:latest';
    const identity = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'identity-service')!;
    identity.spec.template.spec.initContainers = [];
    identity.spec.template.spec.terminationGracePeriodSeconds = 5;
    const withoutPdb = objects.filter(
      (o) => !(o.kind === 'PodDisruptionBudget' && o.metadata.name === 'studio-api'),
    );
    expect(policyViolations(withoutPdb)).toEqual(
      expect.arrayContaining([
        'Deployment learner-api container learner-api: image ghcr.io/strata-platform/strata:latest uses the latest tag',
        'Deployment learner-api container learner-api: has no readinessProbe',
        'Deployment learner-api container learner-api: has no memory limit',
        'Deployment learner-api container learner-api: has a writable root filesystem',
        'Deployment identity-service does not wait for a migration Job of this overlay',
        expect.stringMatching(/^Deployment identity-service: terminationGracePeriodSeconds 5 </),
        'Deployment studio-api has no PodDisruptionBudget',
      ]),
    );
  });

  it.each(Object.entries(overlays))(
    '%s: a migration Job per data service, of the release the Deployments run',
    (_, objects) => {
      const release = releaseOf(root);
      const jobs = named(objects, 'Job');
      expect([...jobs.keys()].sort()).toEqual(
        dataNames.map((name) => `migrate-${name}-${release.replaceAll('.', '-')}`).sort(),
      );
      for (const job of jobs.values()) {
        expect(job.spec.template.spec.containers[0].image).toBe(`ghcr.io/strata-platform/strata:${release}`);
      }
    },
  );

  it.each(Object.entries(overlays))(
    '%s: only callers reach a data service RPC port, only the gateway an application service',
    (_, objects) => {
      const policies = named(objects, 'NetworkPolicy');
      const from = (name: string) => {
        const rule = policies.get(name)!.spec.ingress[0];
        return {
          ports: rule.ports.map((p: { port: string }) => p.port),
          from: rule.from?.[0]?.podSelector?.matchExpressions?.[0]?.values,
        };
      };
      for (const name of dataNames) {
        const { ports, from: callers } = from(name);
        expect(ports).toEqual(['rpc']);
        // Application services (and the short domain, for links) that call a context it hosts, nobody else.
        expect(callers.length).toBeGreaterThan(0);
        for (const caller of callers) expect([...appNames, 'link-redirect']).toContain(caller);
        const hosted = topology.dataServices[name]!.contexts;
        const expected = appNames.filter((app) =>
          topology.applicationServices[app]!.calls.some((c) => hosted.includes(c)),
        );
        expect(callers.filter((caller: string) => caller !== 'link-redirect').sort()).toEqual(
          expected.sort(),
        );
      }
      for (const name of appNames) {
        const { ports, from: callers } = from(name);
        expect(ports).toEqual(['http']);
        // The token issuer's JWKS is also read by the services that verify its tokens.
        expect(callers).toEqual(
          name === 'account-api' ? ['gateway', ...appNames.filter((a) => a !== name)] : ['gateway'],
        );
      }
    },
  );

  it('prod autoscales the stateless tiers only and leaves their replica count to the HPA; dev runs one of each', () => {
    const hpas = named(prod, 'HorizontalPodAutoscaler');
    expect([...hpas.keys()].sort()).toEqual([...appNames, 'gateway', 'link-redirect'].sort());
    for (const [name, deployment] of named(prod, 'Deployment')) {
      expect({ name, replicas: deployment.spec.replicas }).toEqual({
        name,
        replicas: hpas.has(name) ? undefined : 2,
      });
    }
    for (const [name, deployment] of named(dev, 'Deployment'))
      expect({ name, replicas: deployment.spec.replicas }).toEqual({ name, replicas: 1 });
    expect(named(dev, 'HorizontalPodAutoscaler').size).toBe(0);
  });

  it('keeps secrets out of ConfigMaps and out of prod: prod names Secrets it does not define', () => {
    for (const objects of [dev, prod]) {
      for (const map of named(objects, 'ConfigMap').values()) {
        expect(Object.keys(map.data ?? {}).filter((key) => /PASSWORD|SECRET|TOKEN|KEY$/.test(key))).toEqual(
          [],
        );
      }
    }
    expect(named(prod, 'Secret').size).toBe(0);
    expect([...named(dev, 'Secret').keys()].map((name) => name.replace(/-[a-z0-9]{10}$/, '')).sort()).toEqual(
      ['strata-gateway-admin', 'strata-link-redirect', 'strata-mysql', 'strata-payment-webhook'],
    );
    // dev's cert-manager issues each TLS Secret a pod mounts.
    const certificates = new Set([...named(dev, 'Certificate').values()].map((c) => c.spec.secretName));
    for (const deployment of named(dev, 'Deployment').values()) {
      for (const volume of deployment.spec.template.spec.volumes.filter(
        (v: Loose) => v.secret !== undefined,
      )) {
        expect(certificates).toContain(volume.secret.secretName);
      }
    }
  });

  it("lets Prometheus find and reach every Strata process's /metrics on its admin port, and nothing else reach it", () => {
    const policies = named(prod, 'NetworkPolicy');
    for (const [name, deployment] of named(prod, 'Deployment')) {
      const annotations = deployment.spec.template.metadata.annotations ?? {};
      if (name === 'payment-simulator') continue;
      expect({
        name,
        scrape: annotations['prometheus.io/scrape'],
        path: annotations['prometheus.io/path'],
      }).toEqual({
        name,
        scrape: 'true',
        path: '/metrics',
      });
      const container = deployment.spec.template.spec.containers[0];
      const port = container.ports.find(
        (p: Loose) => String(p.containerPort) === annotations['prometheus.io/port'],
      );
      expect({ name, port: port?.name }).toEqual({ name, port: name === 'gateway' ? 'admin' : 'health' });
      // The process listens there: its config names the port (data and application services, the short domain).
      const ingress = policies.get(name)!.spec.ingress as Loose[];
      const toMetrics = ingress.filter((rule) => rule.ports.some((p: Loose) => p.port === port.name));
      expect(toMetrics.map((rule) => rule.from)).toEqual([
        [{ namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ]);
    }
  });
});

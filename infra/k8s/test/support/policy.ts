import type { Loose, RenderedObject } from './rendered.ts';

/*
 * What a reviewer checks in every workload, as one function that names each violation: the
 * policy test runs it on the rendered overlays (no violation) and on planted faults (each found).
 */

interface Container {
  name: string;
  image?: string;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
}

function imageProblem(image: string | undefined): string | undefined {
  if (image === undefined) return 'has no image';
  const lastSegment = image.split('/').pop()!;
  if (!lastSegment.includes(':') && !image.includes('@sha256:')) return `image ${image} has no tag`;
  if (lastSegment.endsWith(':latest')) return `image ${image} uses the latest tag`;
  return undefined;
}

function containerProblems(
  where: string,
  container: Container,
  podNonRoot: boolean,
  serving: boolean,
): string[] {
  const problems: string[] = [];
  const say = (problem: string) => problems.push(`${where} container ${container.name}: ${problem}`);
  const image = imageProblem(container.image);
  if (image !== undefined) say(image);
  if (serving && container.readinessProbe === undefined) say('has no readinessProbe');
  if (serving && container.livenessProbe === undefined) say('has no livenessProbe');
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (container.resources?.[kind]?.[resource] === undefined)
        say(`has no ${resource} ${kind.slice(0, -1)}`);
    }
  }
  const security = container.securityContext ?? {};
  if (!podNonRoot && security.runAsNonRoot !== true) say('may run as root (runAsNonRoot not true)');
  if (security.readOnlyRootFilesystem !== true) say('has a writable root filesystem');
  if (security.allowPrivilegeEscalation !== false) say('allows privilege escalation');
  if (!(security.capabilities?.drop ?? []).includes('ALL')) say('keeps Linux capabilities (drop ALL)');
  return problems;
}

function podProblems(where: string, pod: Loose, serving: boolean): string[] {
  const nonRoot = pod?.securityContext?.runAsNonRoot === true;
  return [
    ...(pod?.containers ?? []).flatMap((container: Container) =>
      containerProblems(where, container, nonRoot, serving),
    ),
    ...(pod?.initContainers ?? []).flatMap((container: Container) =>
      containerProblems(`${where} init`, container, nonRoot, false),
    ),
  ];
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** Every violation in a rendered overlay; empty when it passes review. */
export function policyViolations(objects: RenderedObject[]): string[] {
  const problems: string[] = [];
  const deployments = objects.filter((object) => object.kind === 'Deployment');
  const jobs = objects.filter((object) => object.kind === 'Job');
  const configMaps = objects.filter((object) => object.kind === 'ConfigMap');
  for (const deployment of deployments) {
    const name = `Deployment ${deployment.metadata.name}`;
    const pod = deployment.spec?.template?.spec;
    const labels: Record<string, string> = deployment.spec?.template?.metadata?.labels ?? {};
    problems.push(...podProblems(name, pod, true));
    const pdb = objects.find(
      (object) =>
        object.kind === 'PodDisruptionBudget' && selects(object.spec?.selector?.matchLabels, labels),
    );
    if (pdb === undefined) problems.push(`${name} has no PodDisruptionBudget`);
    const policy = objects.find(
      (object) => object.kind === 'NetworkPolicy' && selects(object.spec?.podSelector?.matchLabels, labels),
    );
    if (policy === undefined) problems.push(`${name} has no NetworkPolicy of its own`);
    // Graceful shutdown: preStop's pause plus the drain the service is configured with fit in the grace period.
    const main: Container = pod?.containers?.[0] ?? { name: '?' };
    const preStop = Number(main.lifecycle?.preStop?.exec?.command?.[1] ?? Number.NaN);
    if (!(preStop > 0)) problems.push(`${name} has no preStop pause`);
    const drainMs = (pod?.containers?.[0]?.envFrom ?? [])
      .map((source: Loose) => configMaps.find((map) => map.metadata.name === source.configMapRef?.name))
      .map((map: RenderedObject | undefined) => Number(map?.data?.STRATA_DRAIN_TIMEOUT_MS ?? 0))
      .reduce((a: number, b: number) => Math.max(a, b), 0);
    const grace = pod?.terminationGracePeriodSeconds ?? 30;
    if (grace < preStop + drainMs / 1000 + 5) {
      problems.push(
        `${name}: terminationGracePeriodSeconds ${grace} < preStop ${preStop} s + drain ${drainMs / 1000} s + 5 s`,
      );
    }
    if (labels['app.kubernetes.io/component'] === 'data-service') {
      // Ordered after migrations: an init container waits for a Job that the same overlay creates.
      const awaited = (pod?.initContainers ?? []).find(
        (container: Loose) => container.args?.[0] === 'await-job',
      )?.args?.[1] as string | undefined;
      const job = jobs.find((candidate) => candidate.metadata.name === awaited);
      if (job === undefined) problems.push(`${name} does not wait for a migration Job of this overlay`);
      else if (
        job.spec?.template?.spec?.containers?.[0]?.args?.join(' ') !== `${deployment.metadata.name} migrate`
      ) {
        problems.push(`${name} waits for Job ${awaited}, which does not migrate ${deployment.metadata.name}`);
      } else if (job.spec?.template?.spec?.containers?.[0]?.image !== pod?.containers?.[0]?.image) {
        problems.push(`${name} runs another image than its migration Job ${awaited}`);
      }
    }
  }
  for (const job of jobs)
    problems.push(...podProblems(`Job ${job.metadata.name}`, job.spec?.template?.spec, false));
  if (
    !objects.some(
      (object) => object.kind === 'NetworkPolicy' && Object.keys(object.spec?.podSelector ?? {}).length === 0,
    )
  ) {
    problems.push('no default-deny NetworkPolicy for the namespace');
  }
  return problems;
}

import { GATEWAY, type PlatformService } from './platform-services.ts';
import { PORTS } from './ports.ts';
import { SECRETS } from './secrets.ts';

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
export function scrapeAnnotations(svc: PlatformService): { annotations?: Record<string, string> } {
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

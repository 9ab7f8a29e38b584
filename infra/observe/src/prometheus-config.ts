import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The alert rules every deployment gets: an outbox that stops draining, lag that grows, a breaker open, 5xx. */
export const ALERT_RULES_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'rules',
  'strata-alerts.yml',
);

export interface PrometheusConfigOptions {
  /** Where `ScrapeTargets` serves HTTP service discovery. */
  targetsUrl: string;
  /** e.g. '5s': a development deployment wants figures soon, not cheaply. */
  scrapeInterval: string;
  /** The gateways' admin token, in a file; without it the gateways are not scraped. */
  gatewayTokenFile?: string;
  rulesFiles?: readonly string[];
}

/**
 * Prometheus' configuration, as an object: JSON is YAML, so it is written with JSON.stringify and
 * no YAML library. Targets come from HTTP service discovery refreshed as often as it scrapes.
 */
export function prometheusConfig(options: PrometheusConfigOptions): Record<string, unknown> {
  const discovery = (job: string) => [
    { url: `${options.targetsUrl}/targets/${job}`, refresh_interval: options.scrapeInterval },
  ];
  return {
    global: { scrape_interval: options.scrapeInterval, evaluation_interval: options.scrapeInterval },
    rule_files: [...(options.rulesFiles ?? [ALERT_RULES_FILE])],
    scrape_configs: [
      // The target's `service` label names the process; a series' own `service` (the RPC service
      // served, a hosted data service in `npm start`'s one process) is the more precise and wins.
      { job_name: 'strata', honor_labels: true, http_sd_configs: discovery('services') },
      ...(options.gatewayTokenFile === undefined
        ? []
        : [
            {
              job_name: 'strata-gateway',
              honor_labels: true,
              http_sd_configs: discovery('gateway'),
              authorization: { type: 'Bearer', credentials_file: options.gatewayTokenFile },
            },
          ]),
    ],
  };
}

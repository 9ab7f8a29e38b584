import { prometheusConfig, ALERT_RULES_FILE } from './prometheus-config.ts';
import { startPrometheus, type RunningPrometheus } from './prometheus-process.ts';
import { ScrapeTargets } from './scrape-targets.ts';

export interface ObserveOptions {
  etcdHosts: string[];
  /** The deployment's registry prefix, e.g. `/strata/services` (its scrape targets sit beside it). */
  servicesPrefix?: string;
  /** Prometheus' configuration, data and log. */
  dir: string;
  port: number;
  scrapeInterval?: string;
  gatewayTokenFile?: string;
  prometheusBinary?: string;
}

export interface Observing {
  readonly prometheus: RunningPrometheus;
  readonly targetsUrl: string;
  stop(): Promise<void>;
}

/**
 * A Prometheus over a running deployment: the scrape targets served from etcd (HTTP service
 * discovery), the alert rules loaded, Prometheus started on them. Stop stops both.
 */
export async function observe(options: ObserveOptions): Promise<Observing> {
  const targets = new ScrapeTargets({
    etcdHosts: options.etcdHosts,
    ...(options.servicesPrefix === undefined ? {} : { servicesPrefix: options.servicesPrefix }),
  });
  try {
    const targetsUrl = await targets.listen();
    const prometheus = await startPrometheus({
      dir: options.dir,
      port: options.port,
      ...(options.prometheusBinary === undefined ? {} : { binary: options.prometheusBinary }),
      config: prometheusConfig({
        targetsUrl,
        scrapeInterval: options.scrapeInterval ?? '5s',
        rulesFiles: [ALERT_RULES_FILE],
        ...(options.gatewayTokenFile === undefined ? {} : { gatewayTokenFile: options.gatewayTokenFile }),
      }),
    });
    return {
      prometheus,
      targetsUrl,
      async stop() {
        await prometheus.stop();
        await targets.close();
      },
    };
  } catch (error) {
    await targets.close();
    throw error;
  }
}

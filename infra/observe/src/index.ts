export { observe, type ObserveOptions, type Observing } from './observe.ts';
export { ALERT_RULES_FILE, prometheusConfig, type PrometheusConfigOptions } from './prometheus-config.ts';
export { startPrometheus, type RunningPrometheus } from './prometheus-process.ts';
export { ScrapeTargets, type ScrapeJob, type TargetGroup } from './scrape-targets.ts';

import { join, relative } from 'node:path';
import { demoBanner } from '../demo-banner.ts';
import type { Started } from './start-processes.ts';

/*
 * What `npm run start:distributed` shows in the terminal: the processes' warnings and errors as
 * they happen (their full logs go to files), and once all are up, where everything is.
 */

const LEVELS: Record<number, string> = { 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

// pino writes the level first; reading it there spares a JSON parse of every info line (the
// gateways' access log) in the process that relays them all.
const PINO_LEVEL = /^\{"level":(\d+),/;

/** Lines a person should see now: warnings and worse from the JSON logs, and anything not JSON. */
export function echo(name: string, line: string): void {
  const level = PINO_LEVEL.exec(line);
  if (level !== null && Number(level[1]) < 40) return;
  let entry: { level?: unknown; msg?: unknown; err?: { message?: unknown } } | undefined;
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    process.stderr.write(`${name} | ${line}\n`);
    return;
  }
  if (typeof entry?.level !== 'number' || entry.level < 40) return;
  const cause = typeof entry.err?.message === 'string' ? ` (${entry.err.message})` : '';
  process.stderr.write(`${name} | ${LEVELS[entry.level] ?? 'WARN '} ${String(entry.msg)}${cause}\n`);
}

/** Where everything is, once every process is ready; `running` is the services started. */
export function upBanner(started: Started, running: ReadonlySet<string>, dir: string): string {
  const url = started.gateways[0]!.url;
  return [
    `Strata is up (distributed: ${started.processes.length} processes on MariaDB, Redis, Kafka and etcd; RPC over mutual TLS).`,
    `Gateway: ${url}`,
    ...started.gateways
      .slice(1)
      .map((gateway) => `Gateway: ${gateway.url} (same routes; rate limits shared through Redis)`),
    ...demoBanner(url, started.seed, running),
    `Processes (logs in ${relative(process.cwd(), join(dir, 'logs')) || '.'}):`,
    ...started.processes.map(
      (running) => `  ${running.name.padEnd(20)} pid ${String(running.pid).padEnd(8)} ${running.address}`,
    ),
    ...(started.shortLinks.length > 0
      ? [
          `Short links: ${started.shortLinks.map((url) => `${url}/<slug>`).join(', ')} (the short domain; same links on each)`,
        ]
      : []),
    `Payment simulator: ${started.paymentSimulator.url} (pay or decline on its payment pages; webhooks to ${started.webhookUrl})`,
    `Gateway admin APIs: ${started.gateways.map((gateway) => gateway.adminUrl).join(', ')} (GET /jobs shows the job queues; bearer token in ${relative(process.cwd(), started.adminTokenFile)})`,
    '`npm run observe` starts a Prometheus scraping every process found in etcd.',
    'Ctrl-C stops them all: the gateways first, the data services last.',
  ].join('\n');
}

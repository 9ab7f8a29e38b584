import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const pom = join(here, 'kafka-tools', 'pom.xml');
const libs = join(repoRoot, '.stack', 'kafka-tools', 'libs');

export interface PerfTestResult {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
}

/**
 * Resolves Kafka's tools (below) into .stack/kafka-tools/libs unless they are there already;
 * answers why it could not. Called before a row's CPU is counted, so Maven's is not.
 */
export function fetchKafkaTools(): string | undefined {
  if (existsSync(join(libs, `kafka-tools-4.4.0.jar`))) return undefined;
  const fetched = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pom,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libs}`,
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  return fetched.error || fetched.status !== 0
    ? `mvn could not fetch Kafka's tools (apt-get install -y maven): ${fetched.error?.message ?? fetched.stdout.slice(-400)}`
    : undefined;
}

/**
 * Kafka's own `kafka-producer-perf-test.sh` (org.apache.kafka.tools.ProducerPerformance, the same
 * Kafka version as the dev stack's broker), the broker's real ceiling on this machine: the Java
 * producer with its default batching (linger, 16 KB batches), acks=all, idempotent. The dev stack
 * resolves only the broker's jars, so the tools are resolved here the same way, through Maven into
 * .stack/kafka-tools/libs (cached in ~/.m2). Answers why it could not run instead of a result.
 */
export function producerPerfTest(options: {
  topic: string;
  records: number;
  recordBytes: number;
  brokers: string[];
}): PerfTestResult | string {
  const unfetched = fetchKafkaTools();
  if (unfetched !== undefined) return unfetched;
  const run = spawnSync(
    'java',
    [
      '-Xmx512m',
      '-cp',
      `${libs}/*`,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      options.topic,
      '--num-records',
      String(options.records),
      '--record-size',
      String(options.recordBytes),
      '--throughput',
      '-1',
      '--command-property',
      `bootstrap.servers=${options.brokers.join(',')}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (run.error) return `java could not run ProducerPerformance: ${run.error.message}`;
  // The last line: "N records sent, R records/sec (…), A ms avg latency, M ms max latency, P50 ms 50th, …, P99 ms 99th, …"
  const summary = run.stdout
    .trim()
    .split('\n')
    .findLast((line) => line.includes('records sent'));
  const perSecond = /([\d.]+) records\/sec/.exec(summary ?? '')?.[1];
  const p50 = /(\d+) ms 50th/.exec(summary ?? '')?.[1];
  const p99 = /(\d+) ms 99th/.exec(summary ?? '')?.[1];
  if (perSecond === undefined || p50 === undefined || p99 === undefined)
    return `unexpected ProducerPerformance output: ${(run.stdout + run.stderr).slice(-400)}`;
  return { perSecond: Number(perSecond), p50: Number(p50), p99: Number(p99), count: options.records };
}

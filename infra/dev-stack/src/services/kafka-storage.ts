import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Progress } from '../progress.ts';
import { StackError } from '../stack-error.ts';
import { shown } from '../stack-paths.ts';
import { newKafkaClusterId } from './kafka-cluster-id.ts';

/** How to run one of Kafka's own tools: the JVM, the broker's jars and the logging config. */
export interface KafkaTools {
  java: string;
  classpath: string;
  log4jOption: string;
}

export interface KafkaStorage {
  serverProperties: string;
  dataDir: string;
  /**
   * What the data must have been formatted for (Kafka version, node, controller address). Data
   * formatted for something else, e.g. by an older checkout of the stack, is formatted anew: it
   * is development data, and a broker refusing it would only tell the operator to delete it.
   */
  stamp: string;
}

const STAMP_FILE = '.strata-format';

/** Why the data directory cannot be used as it is, or undefined when it can. */
export function storageProblem(storage: KafkaStorage): string | undefined {
  const { dataDir } = storage;
  if (!existsSync(dataDir)) return undefined;
  if (readdirSync(dataDir).length === 0) return undefined;
  if (!existsSync(join(dataDir, 'meta.properties'))) return 'a half-written format (no meta.properties)';
  const checkpoints = existsSync(join(dataDir, '__cluster_metadata-0'))
    ? readdirSync(join(dataDir, '__cluster_metadata-0')).filter((name) => name.endsWith('.checkpoint'))
    : [];
  if (checkpoints.length === 0) return 'a half-written format (no bootstrap checkpoint)';
  const stampFile = join(dataDir, STAMP_FILE);
  const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : 'an unknown setup';
  if (stamp !== storage.stamp) return `data formatted for ${stamp}, not for ${storage.stamp}`;
  return undefined;
}

/**
 * KRaft refuses to start on an unformatted log directory. Formats it once with a fresh cluster id,
 * and formats it anew when what is there is half-written or made for another setup.
 */
export function ensureFormatted(tools: KafkaTools, storage: KafkaStorage, progress: Progress): void {
  const problem = storageProblem(storage);
  if (problem === undefined && existsSync(join(storage.dataDir, 'meta.properties'))) return;
  if (problem !== undefined) {
    progress(`${shown(storage.dataDir)} holds ${problem}; formatting it anew (development data only)`);
    rmSync(storage.dataDir, { recursive: true, force: true });
  }
  const clusterId = newKafkaClusterId();
  progress(`formatting ${shown(storage.dataDir)} for cluster ${clusterId}`);
  formatStorage(tools, storage, clusterId);
}

/** Runs Kafka's StorageTool; a failure names the tool's own error, not a guess. */
export function formatStorage(tools: KafkaTools, storage: KafkaStorage, clusterId: string): void {
  const logFile = join(dirname(storage.serverProperties), 'format.log');
  const result = spawnSync(
    tools.java,
    [
      '-Xmx256m',
      tools.log4jOption,
      '-cp',
      tools.classpath,
      'kafka.tools.StorageTool',
      'format',
      // The `=` form keeps the value a value whatever it starts with.
      `--cluster-id=${clusterId}`,
      '-c',
      storage.serverProperties,
    ],
    { encoding: 'utf8' },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  writeFileSync(logFile, output);
  if (result.status !== 0) {
    // A failed format leaves nothing worth keeping; the next start formats from scratch.
    rmSync(storage.dataDir, { recursive: true, force: true });
    const cause =
      result.error?.message ??
      (output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /error|exception/i.test(line))
        .slice(-3)
        .join(' | ') ||
        output.trim().split('\n').slice(-3).join(' | '));
    throw new StackError(
      `formatting Kafka's storage for cluster ${clusterId} failed (exit ${result.status ?? result.signal}): ${cause}`,
      `the tool's whole output is in ${shown(logFile)}; run npm run stack:up again once the cause above is fixed (the half-written data was removed)`,
    );
  }
  writeFileSync(join(storage.dataDir, STAMP_FILE), `${storage.stamp}\n`);
}

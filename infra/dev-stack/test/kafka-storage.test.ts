import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stackPaths } from '../src/stack-paths.ts';
import { ensureJars } from '../src/services/kafka.ts';
import { newKafkaClusterId } from '../src/services/kafka-cluster-id.ts';
import {
  ensureFormatted,
  formatStorage,
  storageProblem,
  type KafkaStorage,
  type KafkaTools,
} from '../src/services/kafka-storage.ts';
import { which } from '../src/which.ts';

// Bytes whose plain base64url form starts with '-': the first six bits are 62.
const dashFirst = Buffer.from('f8000000000000000000000000000000', 'hex');

/** A random source that hands out `first`, then real random bytes. */
function startingWith(first: Buffer): (size: number) => Buffer {
  let calls = 0;
  return (size) => (calls++ === 0 ? Buffer.from(first) : randomBytes(size));
}

describe('a KRaft cluster id', () => {
  it('is a version-4 UUID in 22 base64url characters and never starts with "-"', () => {
    for (let i = 0; i < 10_000; i += 1) {
      const id = newKafkaClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      const bytes = Buffer.from(id, 'base64url');
      expect(bytes).toHaveLength(16);
      expect(bytes[6]! >> 4).toBe(4);
      expect(bytes[8]! >> 6).toBe(2);
    }
  });

  it('is drawn again where the old scheme would have started with "-"', () => {
    expect(dashFirst.toString('base64url').startsWith('-')).toBe(true);
    const id = newKafkaClusterId(startingWith(dashFirst));
    expect(id.startsWith('-')).toBe(false);
  });
});

// The real StorageTool, on throwaway folders. The jars are the ones the stack runs (fetched here
// when the stack reused a Kafka it did not start, so never fetched them).
describe("Kafka's storage format", () => {
  const java = which('java');
  const libs = join(stackPaths.serviceDir('kafka'), 'libs');
  const root = mkdtempSync(join(tmpdir(), 'strata-kafka-format-'));
  const lines: string[] = [];
  const progress = (line: string): void => void lines.push(line);
  let folders = 0;

  beforeAll(async () => {
    await ensureJars(progress);
  }, 600_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function tools(): KafkaTools {
    if (java === undefined || !existsSync(libs)) {
      throw new Error(`this test needs java and the Kafka jars in ${libs}: install a Java 17+ runtime`);
    }
    const log4j = join(root, 'log4j2.properties');
    writeFileSync(log4j, 'rootLogger.level=ERROR\n');
    return { java, classpath: `${libs}/*`, log4jOption: `-Dlog4j2.configurationFile=${log4j}` };
  }

  function storage(stamp = 'test setup'): KafkaStorage {
    const dir = join(root, `node-${(folders += 1)}`);
    mkdirSync(dir);
    const dataDir = join(dir, 'data');
    const serverProperties = join(dir, 'server.properties');
    writeFileSync(
      serverProperties,
      [
        'process.roles=broker,controller',
        'node.id=1',
        'controller.quorum.voters=1@127.0.0.1:1',
        'listeners=PLAINTEXT://127.0.0.1:2,CONTROLLER://127.0.0.1:1',
        'controller.listener.names=CONTROLLER',
        `log.dirs=${dataDir}`,
        '',
      ].join('\n'),
    );
    return { serverProperties, dataDir, stamp };
  }

  const clusterIdOf = (dataDir: string): string =>
    /cluster\.id=(\S+)/.exec(readFileSync(join(dataDir, 'meta.properties'), 'utf8'))?.[1] ?? '';

  it('formats with generated ids, one drawn where the old scheme gave "-"', () => {
    const kafka = tools();
    const ids = [
      newKafkaClusterId(startingWith(dashFirst)),
      ...Array.from({ length: 5 }, () => newKafkaClusterId()),
    ];
    for (const id of ids) {
      const target = storage();
      formatStorage(kafka, target, id);
      expect(clusterIdOf(target.dataDir)).toBe(id);
      expect(storageProblem(target)).toBeUndefined();
    }
  }, 120_000);

  it('formats a half-written folder anew instead of asking for it to be deleted', () => {
    const kafka = tools();
    const target = storage();
    mkdirSync(join(target.dataDir, '__cluster_metadata-0'), { recursive: true });
    expect(storageProblem(target)).toMatch(/half-written/);
    ensureFormatted(kafka, target, progress);
    expect(storageProblem(target)).toBeUndefined();
    expect(lines.some((line) => line.includes('half-written') && line.includes('formatting it anew'))).toBe(
      true,
    );
  }, 60_000);

  it('formats anew what an older setup formatted, and keeps what this setup formatted', () => {
    const kafka = tools();
    const old = storage('Kafka 3.9.0, node 1, controller 127.0.0.1:1');
    ensureFormatted(kafka, old, progress);
    const first = clusterIdOf(old.dataDir);
    ensureFormatted(kafka, old, progress);
    expect(clusterIdOf(old.dataDir)).toBe(first);

    const upgraded = { ...old, stamp: 'Kafka 4.4.0, node 1, controller 127.0.0.1:1' };
    expect(storageProblem(upgraded)).toMatch(/formatted for Kafka 3\.9\.0/);
    ensureFormatted(kafka, upgraded, progress);
    expect(clusterIdOf(upgraded.dataDir)).not.toBe(first);
    expect(storageProblem(upgraded)).toBeUndefined();
  }, 60_000);

  it("names the tool's own error when formatting fails, and leaves nothing half-written", () => {
    const kafka = tools();
    const target = storage();
    writeFileSync(target.serverProperties, `process.roles=broker\nlog.dirs=${target.dataDir}\n`);
    let failure: Error | undefined;
    try {
      formatStorage(kafka, target, newKafkaClusterId());
    } catch (error) {
      failure = error as Error;
    }
    expect(failure?.message).toMatch(/formatting Kafka's storage for cluster \S+ failed \(exit 1\): .*\S/);
    expect(failure?.message).not.toMatch(/rm -rf/);
    expect(existsSync(target.dataDir)).toBe(false);
  }, 60_000);
});

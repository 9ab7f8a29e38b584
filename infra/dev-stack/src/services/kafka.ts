import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClient } from '@strata/kafka';
import type { Kafka } from 'kafkajs';
import { spawnDetached } from '../detached-process.ts';
import { stackEndpoints } from '../endpoints.ts';
import type { Progress } from '../progress.ts';
import { runLogged } from '../run-logged.ts';
import { StackError } from '../stack-error.ts';
import { stackPaths } from '../stack-paths.ts';
import type { StackService, StartedProcess } from '../stack-service.ts';
import { ensurePortsFree } from '../port-holder.ts';
import { hostAndPort, isLoopback } from '../tcp-port.ts';
import { which } from '../which.ts';
import { ensureFormatted } from './kafka-storage.ts';

const dir = stackPaths.serviceDir('kafka');
const libsDir = join(dir, 'libs');
const dataDir = join(dir, 'data');
const logFile = join(dir, 'kafka.log');
const readyTopic = 'strata.dev-stack.ready';
const readyGroup = 'strata.dev-stack.ready';
const mavenTimeoutMs = 10 * 60_000;
const minimumJava = 17;

function client(brokers: string[]): Kafka {
  return kafkaClient({
    clientId: 'strata-dev-stack',
    brokers,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
}

export function kafkaService(): StackService {
  const brokers = stackEndpoints().kafkaBrokers;
  const address = brokers.join(',');
  return {
    name: 'kafka',
    address,
    startTimeoutMs: 180_000,
    async probe() {
      const admin = client(brokers).admin();
      try {
        await admin.connect();
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    },
    async ready() {
      // Producing proves the broker accepts writes; asking for a group's coordinator makes Kafka
      // create __consumer_offsets now rather than in the first test that joins a group.
      const kafka = client(brokers);
      const admin = kafka.admin();
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      try {
        await admin.connect();
        await admin.createTopics({ topics: [{ topic: readyTopic, numPartitions: 1 }], waitForLeaders: true });
        await producer.connect();
        await producer.send({ topic: readyTopic, messages: [{ value: new Date().toISOString() }] });
        await admin.describeGroups([readyGroup]);
      } finally {
        await producer.disconnect();
        await admin.disconnect();
      }
    },
    async start(progress) {
      const { host, port } = hostAndPort(brokers[0] ?? '', 9092);
      if (brokers.length !== 1 || !isLoopback(host)) {
        throw new StackError(
          `Kafka at ${address} does not answer, and the dev stack only starts a single broker on this machine`,
          'start that Kafka yourself, or unset STRATA_KAFKA_BROKERS to use a local broker on 127.0.0.1:9092',
        );
      }
      const controllerPort = port + 1;
      await ensurePortsFree(
        host,
        [
          { port, purpose: 'client' },
          { port: controllerPort, purpose: 'KRaft controller' },
        ],
        'Kafka',
      );
      const java = requireJava();
      mkdirSync(dir, { recursive: true });
      const version = await ensureJars(progress);
      const serverProperties = writeConfig(host, port, controllerPort);
      const classpath = `${libsDir}/*`;
      const log4j = `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`;
      ensureFormatted(
        { java, classpath, log4jOption: log4j },
        {
          serverProperties,
          dataDir,
          stamp: `Kafka ${version}, node 1, controller ${host}:${controllerPort}`,
        },
        progress,
      );
      const heap = (process.env.KAFKA_HEAP_OPTS ?? '-Xms256m -Xmx512m').split(/\s+/).filter(Boolean);
      const started = spawnDetached(
        java,
        [
          ...heap,
          '-XX:+UseG1GC',
          '-Djava.awt.headless=true',
          log4j,
          '-cp',
          classpath,
          'kafka.Kafka',
          serverProperties,
        ],
        logFile,
        dir,
      );
      return { ...started, logFile, detail: `Kafka ${version}, KRaft` } satisfies StartedProcess;
    },
  };
}

function requireJava(): string {
  const java = which('java');
  const hint = `install a Java ${minimumJava}+ runtime: apt-get install -y openjdk-17-jre-headless (or put java on PATH)`;
  if (java === undefined) throw new StackError('java is not on PATH; the Kafka broker runs on the JVM', hint);
  const version = spawnSync(java, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' }).stderr;
  const major = Number(/java\.specification\.version = (\d+)/.exec(version)?.[1] ?? 0);
  if (major < minimumJava)
    throw new StackError(`${java} is Java ${major}; Kafka 4 brokers need Java ${minimumJava}+`, hint);
  return java;
}

/**
 * The broker's jars come from Maven Central through infra/dev-stack/kafka/pom.xml; ~/.m2 caches
 * them, and a hash of the pom tells whether .stack/kafka/libs still matches it.
 */
export async function ensureJars(progress: Progress): Promise<string> {
  const pom = readFileSync(stackPaths.kafkaPom, 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
  const marker = join(libsDir, '.pom-sha256');
  const hash = createHash('sha256').update(pom).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return version;
  const mvn = which('mvn');
  if (mvn === undefined) {
    throw new StackError(
      'Maven (mvn) is not on PATH; it fetches the Kafka broker jars from Maven Central',
      'apt-get install -y maven',
    );
  }
  progress(
    `fetching Kafka ${version} jars from Maven Central with mvn (cached in ~/.m2; the first time takes a minute or two)`,
  );
  rmSync(libsDir, { recursive: true, force: true });
  await runLogged(
    mvn,
    [
      '-B',
      '-q',
      '-f',
      stackPaths.kafkaPom,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libsDir}`,
    ],
    { what: 'fetching the Kafka jars', logFile: join(dir, 'mvn.log'), timeoutMs: mavenTimeoutMs, progress },
  ).catch((error: Error) => {
    throw new StackError(
      error.message,
      'check that Maven Central (repo.maven.apache.org) is reachable, or that ~/.m2/settings.xml points at a mirror',
    );
  });
  writeFileSync(marker, hash);
  return version;
}

function writeConfig(host: string, port: number, controllerPort: number): string {
  const serverProperties = join(dir, 'server.properties');
  // Single-node KRaft: one process is broker and controller, and every internal topic has
  // replication factor 1 because there is no second broker to hold a copy.
  writeFileSync(
    serverProperties,
    [
      '# Generated by infra/dev-stack on every start; edit src/services/kafka.ts instead.',
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${controllerPort}`,
      `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://${host}:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${dataDir}`,
      'num.partitions=1',
      'default.replication.factor=1',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      // Tests join a consumer group once and expect messages at once, not after 3s of waiting
      // for more members.
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'log4j2.properties'),
    [
      'rootLogger.level=INFO',
      'rootLogger.appenderRef.stdout.ref=STDOUT',
      'appender.stdout.type=Console',
      'appender.stdout.name=STDOUT',
      'appender.stdout.layout.type=PatternLayout',
      'appender.stdout.layout.pattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return serverProperties;
}

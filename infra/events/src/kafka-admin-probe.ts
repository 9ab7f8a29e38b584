import { Gauge, type Registry } from 'prom-client';
import type { Admin, Kafka } from 'kafkajs';
import { kafkaClient } from '@strata/kafka';

export interface ConsumerGroupTopics {
  readonly group: string;
  readonly topics: readonly string[];
}

export interface PartitionLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** Messages on the partition the group has not committed past. */
  readonly lag: number;
}

/**
 * What the process asks the Kafka cluster about itself, on one admin connection opened on first
 * use: whether the brokers answer (readiness) and how far each consumer group's committed offsets
 * trail the partitions' ends (lag). The broker's view, not the consumer's: a consumer stuck in a
 * handler, or gone, shows its lag growing, which its own fetch statistics would not.
 */
export class KafkaAdminProbe {
  readonly #kafka: Kafka;
  #admin: Promise<Admin> | undefined;
  readonly #unmetered: (() => void)[] = [];

  constructor(options: { brokers: string[]; clientId: string }) {
    this.#kafka = kafkaClient({
      clientId: `${options.clientId}-probe`,
      brokers: options.brokers,
      // A probe answers now or fails: retrying would hold a readiness check or a scrape.
      retry: { retries: 0 },
      connectionTimeout: 1_000,
    });
  }

  async checkReachable(): Promise<void> {
    await (await this.#connected()).describeCluster();
  }

  async consumerLag(groups: readonly ConsumerGroupTopics[]): Promise<PartitionLag[]> {
    const admin = await this.#connected();
    const lags: PartitionLag[] = [];
    const ends = new Map<string, Map<number, { high: bigint; low: bigint }>>();
    for (const topic of new Set(groups.flatMap((group) => group.topics))) {
      // A topic nobody has published to yet may not exist: no partitions, no lag.
      const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
      ends.set(
        topic,
        new Map(offsets.map((o) => [o.partition, { high: BigInt(o.high), low: BigInt(o.low) }])),
      );
    }
    for (const { group, topics } of groups) {
      const committed = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
      for (const { topic, partitions } of committed) {
        for (const { partition, offset } of partitions) {
          const end = ends.get(topic)?.get(partition);
          if (end === undefined) continue;
          // -1: nothing committed yet; the group starts from the beginning (ADR 0006), so all of it waits.
          const from = BigInt(offset) < 0n ? end.low : BigInt(offset);
          lags.push({ group, topic, partition, lag: Number(end.high > from ? end.high - from : 0n) });
        }
      }
    }
    return lags;
  }

  /**
   * `strata_kafka_consumer_lag{group, topic, partition}` for these groups, asked at scrape time.
   * One family per registry, made by the first probe metered into it: a process with several
   * consumers (learner-api's catalog and notification feeds) adds each probe's groups to it, and
   * a closed probe's groups leave it.
   */
  meterLag(groups: readonly ConsumerGroupTopics[], registry: Registry): void {
    if (groups.length === 0) return;
    const sources = lagSourcesOf(registry);
    const source = () => this.consumerLag(groups);
    sources.add(source);
    this.#unmetered.push(() => sources.delete(source));
  }

  async close(): Promise<void> {
    for (const unmeter of this.#unmetered.splice(0)) unmeter();
    const admin = this.#admin;
    this.#admin = undefined;
    if (admin !== undefined) await (await admin.catch(() => undefined))?.disconnect();
  }

  #connected(): Promise<Admin> {
    this.#admin ??= (async () => {
      const admin = this.#kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.#admin = undefined;
      throw error;
    });
    return this.#admin;
  }
}

type LagSource = () => Promise<PartitionLag[]>;

const lagSourcesByRegistry = new WeakMap<Registry, Set<LagSource>>();

/** The lag sources the registry's one `strata_kafka_consumer_lag` family reads, made with the family. */
function lagSourcesOf(registry: Registry): Set<LagSource> {
  const known = lagSourcesByRegistry.get(registry);
  if (known !== undefined) return known;
  const sources = new Set<LagSource>();
  lagSourcesByRegistry.set(registry, sources);
  new Gauge({
    name: 'strata_kafka_consumer_lag',
    help: 'Messages a consumer group has not yet committed past, by group, topic and partition',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      // An unreachable cluster answers no figure for its groups rather than a stale one.
      const lags = await Promise.all([...sources].map((lagOf) => lagOf().catch(() => [])));
      this.reset();
      for (const { group, topic, partition, lag } of lags.flat())
        this.set({ group, topic, partition: String(partition) }, lag);
    },
  });
  return sources;
}

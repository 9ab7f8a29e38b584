import { Agent, request } from 'node:http';
import { stackEndpoints } from '@strata/dev-stack';
import {
  createEngagementService,
  linkVisitsTopicFor,
  startDistributedLinkRedirect,
  type EngagementService,
  type RunningLinkRedirect,
} from '@strata/engagement-service';
import {
  contractEventCatalog,
  KafkaEventBroker,
  KafkaEventConsumer,
  messageBody,
  parseEnvelope,
  type MessageProcessor,
} from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import type { LinkVisitsRecorded } from '@strata/links';
import { linksContract } from '@strata/links/contract';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { createContractClient, inProcessInvoke, type ContractClient } from '@strata/rpc';
import { recordingLogger } from '@strata/runtime/test-support';
import { newId, systemClock, type Clock } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { Redis } from 'ioredis';

/**
 * The redirect instances' clock: the system's, moved on only when a test says so (never back), so
 * a link's expiry is crossed at a step of the test rather than by a loaded machine's stall.
 */
export class AdvancingClock implements Clock {
  #ahead = 0;

  now(): Date {
    return new Date(Date.now() + this.#ahead);
  }

  /** From now on the clock reads `when` or later. */
  advanceTo(when: Date): void {
    this.#ahead = Math.max(this.#ahead, when.getTime() - Date.now());
  }
}

export interface Answer {
  readonly status: number;
  readonly location: string | undefined;
}

/**
 * The distributed short domain on the dev stack: engagement-service on MariaDB with its outbox
 * relayed to Kafka, and two redirect instances on Redis and Kafka, all under a namespace of this
 * run (schema, topics, consumer groups, Redis keys). A consumer of the visits' topic (ADR 0063)
 * collects the visits as they arrive, as a downstream consumer would.
 */
export class RedirectWorld {
  readonly namespace = `lnk${newId().replaceAll('-', '').slice(-10)}`;
  readonly service = uniqueService('engage_redirect');
  readonly redisPrefix = `strata-test:${this.namespace}:`;
  /** Visit ids by link id, as the visits' topic delivered them (duplicates kept, to count them). */
  readonly visits = new Map<string, string[]>();
  readonly agent = new Agent({ keepAlive: true, maxSockets: 500 });
  /** What the redirect instances compare a link's expiry with. */
  readonly redirectClock = new AdvancingClock();
  engagement!: EngagementService;
  links!: ContractClient<typeof linksContract>;
  instances: RunningLinkRedirect[] = [];
  #broker!: KafkaEventBroker;
  #visitConsumer!: KafkaEventConsumer;

  async start(): Promise<void> {
    const { kafkaBrokers, redisUrl } = stackEndpoints();
    this.#broker = new KafkaEventBroker({ brokers: kafkaBrokers, clientId: 'redirect-test' });
    this.engagement = await createEngagementService({
      database: mysqlDatabase(this.service),
      clock: systemClock,
      broker: this.#broker,
      eventNamespace: this.namespace,
      logger: recordingLogger(),
      shortDomain: 'strata.link',
    });
    this.engagement.relay.start();
    const invoke = inProcessInvoke(this.engagement.handler);
    this.links = createContractClient(linksContract, { service: 'engagement-service', invoke });
    const schema = contractEventCatalog(linksContract).schema;
    const collector: MessageProcessor = {
      consumerGroup: `${this.namespace}.test-visits`,
      // Visits leave many to a message (LinkVisitsRecorded, ADR 0031): each is counted by its id.
      process: async (message) => {
        if (message.headers['event-type'] !== 'LinkVisitsRecorded') return 'skipped';
        const envelope = parseEnvelope(messageBody(message.value), schema);
        const recorded = envelope.payload as LinkVisitsRecorded;
        const seen = this.visits.get(recorded.linkId) ?? [];
        seen.push(...recorded.visits.map(({ visitId }) => visitId));
        this.visits.set(recorded.linkId, seen);
        return 'handled';
      },
    };
    this.#visitConsumer = new KafkaEventConsumer({
      brokers: kafkaBrokers,
      clientId: 'redirect-test',
      topics: [linkVisitsTopicFor(this.namespace)],
      processor: collector,
    });
    // The first link makes the topic, so every consumer below finds it.
    await this.links.ShortLink.create(
      { targetUrl: 'https://example.org/warm-up' },
      { caller: this.person() },
    );
    await this.#visitConsumer.start();
    for (const instance of ['r1', 'r2']) {
      this.instances.push(
        await startDistributedLinkRedirect({
          service: 'engagement-service',
          engagement: invoke,
          host: '127.0.0.1',
          port: 0,
          clock: this.redirectClock,
          logger: recordingLogger(),
          visitorHashKey: 'a-test-key-of-at-least-thirty-two-characters',
          redisUrl,
          redisPrefix: this.redisPrefix,
          kafkaBrokers,
          instanceId: instance,
          consumerGroup: `${this.namespace}.link-redirect.cache`,
          eventNamespace: this.namespace,
        }),
      );
    }
    await this.#untilInvalidationsFlow();
  }

  async stop(): Promise<void> {
    for (const instance of this.instances) await instance.stop();
    await this.#visitConsumer?.stop();
    await this.engagement?.close();
    await this.#broker?.close();
    this.agent.destroy();
    await dropDatabase(this.service);
    const redis = new Redis(stackEndpoints().redisUrl);
    const keys = await redis.keys(`${this.redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }

  /**
   * The topics the members of the instances' cache invalidation group subscribed to, as each told
   * the group coordinator (Kafka's ConsumerProtocolSubscription: a version, then the topic names).
   */
  async cacheInvalidationTopics(): Promise<string[]> {
    const admin = kafkaClient({ clientId: 'redirect-test', brokers: stackEndpoints().kafkaBrokers }).admin();
    await admin.connect();
    try {
      const [group] = (await admin.describeGroups([`${this.namespace}.link-redirect.cache`])).groups;
      const topics = new Set<string>();
      for (const { memberMetadata } of group?.members ?? []) {
        const count = memberMetadata.readInt32BE(2);
        for (let at = 6, index = 0; index < count; index += 1) {
          const length = memberMetadata.readInt16BE(at);
          topics.add(memberMetadata.toString('utf8', at + 2, at + 2 + length));
          at += 2 + length;
        }
      }
      return [...topics].sort();
    } finally {
      await admin.disconnect();
    }
  }

  person() {
    return { userId: newId(), roles: ['learner', 'instructor'] };
  }

  /** One GET of `/<slug>` on the instance `index`, redirects not followed. */
  visit(index: number, slug: string, headers: Record<string, string> = {}): Promise<Answer> {
    const url = new URL(`/${slug}`, this.instances[index]!.url);
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { agent: this.agent, headers }, (response) => {
        response.resume();
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 0, location: response.headers.location }),
        );
      });
      outgoing.once('error', reject);
      outgoing.end();
    });
  }

  async until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
    await waitFor(what, condition, { timeoutMs, everyMs: 20 });
  }

  /**
   * The instances' consumer group joins Kafka in a few seconds; until then no invalidation
   * arrives. A link disabled and seen gone on both says it has joined.
   */
  async #untilInvalidationsFlow(): Promise<void> {
    const owner = this.person();
    const link = await this.links.ShortLink.create(
      { targetUrl: 'https://example.org/joined' },
      { caller: owner },
    );
    for (const index of [0, 1]) await this.visit(index, link.slug);
    await this.links.ShortLink.disable(link.id, {}, { caller: owner });
    await this.until(
      async () =>
        (await this.visit(0, link.slug)).status === 410 && (await this.visit(1, link.slug)).status === 410,
      'the redirect instances to hear link events',
      60_000,
    );
  }
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Etcd3, type IKeyValue } from 'etcd3';
import { Redis } from 'ioredis';
import { logLevel, Partitioners } from 'kafkajs';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { kafkaClient } from '@strata/kafka';

// Real round trips against the running stack (npm run stack:up). Names are unique per run so
// several suites, or several engineers, can run this at the same time against the same services.
const endpoints = stackEndpoints();
const runId = `${process.pid}_${randomUUID().slice(0, 8)}`;
const slowMs = 60_000;

describe('MariaDB', () => {
  const database = `strata_smoke_${runId}`;
  let connection: Connection;

  beforeAll(async () => {
    connection = await createConnection({ ...endpoints.mysql });
    await connection.query(`CREATE DATABASE \`${database}\``);
    await connection.query(
      `CREATE TABLE \`${database}\`.notes (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(64) NOT NULL) ENGINE=InnoDB`,
    );
  });

  afterAll(async () => {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
  });

  it('keeps what a committed transaction wrote and discards what a rolled-back one wrote', async () => {
    await connection.beginTransaction();
    await connection.execute(`INSERT INTO \`${database}\`.notes (body) VALUES (?)`, ['rolled back']);
    await connection.rollback();

    await connection.beginTransaction();
    await connection.execute(`INSERT INTO \`${database}\`.notes (body) VALUES (?)`, ['committed']);
    await connection.commit();

    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT body FROM \`${database}\`.notes ORDER BY id`,
    );
    expect(rows.map((row) => row.body)).toEqual(['committed']);
  });
});

describe('Redis', () => {
  const key = `strata:smoke:${runId}`;
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(endpoints.redisUrl, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await redis.del(key, `${key}:counter`);
    redis.disconnect();
  });

  it('answers a command round trip', async () => {
    expect(await redis.set(key, 'hello', 'PX', 60_000)).toBe('OK');
    expect(await redis.get(key)).toBe('hello');
    expect(await redis.incrby(`${key}:counter`, 2)).toBe(2);
    expect(await redis.incrby(`${key}:counter`, 3)).toBe(5);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});

describe('Kafka', () => {
  const topic = `strata.smoke.${runId}`;
  const groupId = `strata-smoke-${runId}`;
  const kafka = kafkaClient({
    clientId: `strata-smoke-${runId}`,
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    const created = await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    expect(created).toBe(true);
  }, slowMs);

  afterAll(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  }, slowMs);

  it(
    'delivers what a producer sends on a fresh topic to a consumer group, and records its offsets',
    async () => {
      const sent = ['one', 'two', 'three'].map((value) => ({ key: `key-${value}`, value }));
      const producer = kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      await producer.send({ topic, messages: sent });
      await producer.disconnect();

      const consumer = kafka.consumer({ groupId });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received: { key: string; value: string; partition: number }[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message, partition }) => {
              received.push({
                key: message.key?.toString() ?? '',
                value: message.value?.toString() ?? '',
                partition,
              });
              if (received.length === sent.length) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.stop();
      await consumer.disconnect();

      expect(
        received.map(({ key, value }) => ({ key, value })).sort((a, b) => a.value.localeCompare(b.value)),
      ).toEqual([...sent].sort((a, b) => a.value.localeCompare(b.value)));
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = offsets?.partitions.reduce((sum, { offset }) => sum + Math.max(Number(offset), 0), 0);
      expect(committed).toBe(sent.length);
    },
    slowMs,
  );
});

describe('etcd', () => {
  const key = `strata/smoke/${runId}`;
  let client: Etcd3;

  beforeAll(() => {
    client = new Etcd3({ hosts: endpoints.etcdHosts });
  });

  afterAll(async () => {
    await client.delete().key(key);
    client.close();
  });

  it(
    'deletes a key when its lease expires, and a watch sees the deletion',
    async () => {
      const watcher = await client.watch().key(key).create();
      const deleted = new Promise<IKeyValue>((resolve) => watcher.once('delete', resolve));
      const put = new Promise<IKeyValue>((resolve) => watcher.once('put', resolve));

      const lease = client.lease(1, { autoKeepAlive: false });
      await lease.put(key).value('short-lived');
      expect((await put).value.toString()).toBe('short-lived');
      expect(await client.get(key).string()).toBe('short-lived');

      const gone = await deleted;
      await watcher.cancel();
      expect(gone.key.toString()).toBe(key);
      expect(await client.get(key).string()).toBeNull();
    },
    slowMs,
  );
});

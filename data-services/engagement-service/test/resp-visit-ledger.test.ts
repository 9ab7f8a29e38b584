import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { visitJsonOf } from '../src/links/redirect/queued-visit.ts';
import { respEndpointOf, type RespEndpoint } from '../src/links/redirect/resp-endpoint.ts';
import { RespVisitLedger } from '../src/links/redirect/resp-visit-ledger.ts';
import type { LedgerLink } from '../src/links/redirect/visit-ledger.ts';
import { proxyLosingOneCommitAnswer } from './redis-proxy.ts';

// ADR 0080: the serving thread's group commits on a RESP connection of their own keep what ioredis
// gave them. On the real Redis: a commit whose answer a broken connection lost is sent again and
// counted once; a Redis of this test's own (redis-server, a password, database 3) restarted under
// the ledger: the ledger reconnects, authenticates, selects, finds the script gone (NOSCRIPT) and
// sends the commit as EVAL; while it is down the visits fail with its address.

jest.setTimeout(60_000);

const prefix = `strata-test:resp-ledger${randomBytes(4).toString('hex')}:`;
const PASSWORD = randomBytes(12).toString('hex');
const opened: Redis[] = [];
let privateRedis: ChildProcess | undefined;
/** Every redis-server this file started: a failed test must not leave one running. */
const started: ChildProcess[] = [];

const linkOf = (linkId: string, maxVisits: number | null): LedgerLink => ({
  linkId,
  version: 1,
  slug: 'spring-sale',
  maxVisits,
});

const recorded = (ledger: RespVisitLedger, link: LedgerLink, visit: string) =>
  new Promise<number>((resolve, reject) =>
    ledger.record(link, visit, (error, visitsSoFar) =>
      error === null ? resolve(visitsSoFar) : reject(error),
    ),
  );

const visitTo = () =>
  visitJsonOf({
    visitId: newId(),
    visitedAt: new Date().toISOString(),
    referrerHost: null,
    userAgentFamily: 'firefox',
    bot: false,
    visitorHash: 'a'.repeat(64),
  });

function endpointOf(url: string): RespEndpoint {
  const endpoint = respEndpointOf(url);
  if ('refused' in endpoint) throw new Error(endpoint.refused);
  return endpoint;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** redis-server on `port`, with a password, nothing kept on disk: a restart forgets data and scripts. */
async function startPrivateRedis(port: number): Promise<void> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--requirepass',
      PASSWORD,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  privateRedis = child;
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
}

async function stopPrivateRedis(): Promise<void> {
  const child = privateRedis;
  privateRedis = undefined;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  const redis = new Redis(stackEndpoints().redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  for (const each of opened) each.disconnect();
});

describe('the visit ledger on a RESP connection of its own', () => {
  it('counts a group commit once when its answer is lost and it is sent again after reconnecting', async () => {
    const linkId = newId();
    const proxy = await proxyLosingOneCommitAnswer(`links:visits:${linkId}`);
    try {
      const ledger = await RespVisitLedger.open(endpointOf(proxy.url), prefix);
      const link = linkOf(linkId, 100);
      const visits = Array.from({ length: 3 }, visitTo);
      const counts = await Promise.all(visits.map((visit) => recorded(ledger, link, visit)));

      expect(proxy.answersLost()).toBe(1);
      expect(counts).toEqual([0, 1, 2]);
      const redis = new Redis(stackEndpoints().redisUrl);
      opened.push(redis);
      expect(await redis.get(`${prefix}links:visits:${linkId}`)).toBe('3');
      const queued = (await redis.xrange(`${prefix}links:visit-stream`, '-', '+')).flatMap(
        ([, fields]) => fields,
      );
      expect(queued.filter((value) => value === visits.join(','))).toHaveLength(1);
      await ledger.close();
    } finally {
      proxy.server.close();
    }
  });

  it('authenticates, selects its database, and after a restart of Redis reconnects and loads its script again', async () => {
    const port = await freePort();
    await startPrivateRedis(port);
    const url = `redis://:${PASSWORD}@127.0.0.1:${port}/3`;
    const check = new Redis(url, { maxRetriesPerRequest: 1 });
    opened.push(check);
    const ledger = await RespVisitLedger.open(endpointOf(url), prefix);
    const linkId = newId();
    const link = linkOf(linkId, null);
    expect(await recorded(ledger, link, visitTo())).toBe(0);
    expect(await recorded(ledger, link, visitTo())).toBe(1);
    expect(await check.get(`${prefix}links:visits:${linkId}`)).toBe('2');

    // Down: the visits fail, saying where Redis was.
    await stopPrivateRedis();
    await expect(recorded(ledger, link, visitTo())).rejects.toThrow(`127.0.0.1:${port}`);

    // Back, empty, without the script: the next commit goes as EVALSHA, is told NOSCRIPT, then EVAL.
    await startPrivateRedis(port);
    expect(await recorded(ledger, link, visitTo())).toBe(0);
    expect(await check.get(`${prefix}links:visits:${linkId}`)).toBe('1');
    const stats = await check.info('commandstats');
    expect(stats).toMatch(/cmdstat_evalsha:calls=1,.*failed_calls=1/);
    expect(stats).toMatch(/cmdstat_eval:calls=1,/);
    await ledger.close();
    check.disconnect();
    await stopPrivateRedis();
  });

  it('tells an operator what Redis refused, and which URLs it leaves to ioredis', async () => {
    const port = await freePort();
    await startPrivateRedis(port);
    await expect(
      RespVisitLedger.open(endpointOf(`redis://:wrong@127.0.0.1:${port}`), prefix),
    ).rejects.toThrow(/127\.0\.0\.1:\d+: Redis refused AUTH: WRONGPASS/);
    await stopPrivateRedis();
    expect(respEndpointOf('rediss://redis.example:6380')).toEqual({
      refused: "rediss:// (TLS) is not spoken by the ledger's RESP connection",
    });
    expect(respEndpointOf('redis://redis.example?family=6')).toHaveProperty('refused');
    expect(respEndpointOf('redis://user:p%40ss@[::1]:6390/2')).toMatchObject({
      host: '::1',
      port: 6390,
      auth: ['user', 'p@ss'],
      db: 2,
    });
  });
});

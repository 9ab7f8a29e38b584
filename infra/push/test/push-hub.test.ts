import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { LastEventIdSchema, PushHub, RedisFanOut, SseTransport } from '../src/index.ts';
import { Item, MemoryFeeds } from './support/memory-feeds.ts';
import { SseClient } from './support/push-clients.ts';

// Two hubs, as on two instances, each with its own Redis fan-out on one Redis, serving event
// streams over HTTP; storage is an in-memory feed per stream with positions, an epoch and pruning
// (what the notification context does in MariaDB, covered in learner-api's push test).

interface Instance {
  hub: PushHub<Item, string>;
  fanOut: RedisFanOut;
  server: Server;
  url: string;
}

describe('push hub (SSE, Redis fan-out between two instances)', () => {
  const prefix = `t:push:${newId()}:`;
  const feeds = new MemoryFeeds();
  const clients: SseClient[] = [];
  let a: Instance;
  let b: Instance;

  const start = async (options: { maxConnectionsPerStream?: number; maxBufferedBytes?: number }) => {
    const fanOut = await RedisFanOut.connect({ url: stackEndpoints().redisUrl, prefix });
    const hub = new PushHub<Item, string>({
      fanOut,
      history: feeds,
      itemSchema: Item,
      itemEvent: 'item',
      catchUpLimit: 2,
      ...options,
    });
    const server = createServer((req, res) => {
      const stream = String(req.headers['x-user']);
      const from = LastEventIdSchema.optional().safeParse(req.headers['last-event-id']);
      const refusal = from.success ? hub.admits(stream) : 'invalid-last-event-id';
      if (!from.success || refusal !== undefined) {
        res.writeHead(refusal === 'connection-limit' ? 429 : 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ reason: refusal }));
        return;
      }
      hub.open(stream, stream, new SseTransport(res), from.data);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return { hub, fanOut, server, url };
  };

  const connect = (instance: Instance, user: string, lastEventId?: string) => {
    const client = new SseClient(instance.url, {
      'x-user': user,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    });
    clients.push(client);
    return client;
  };

  /** Stores an item, then announces it from instance `via`, as a relay after the commit would. */
  const create = async (via: Instance, user: string, text = 'hello', announce = true) => {
    const item = feeds.append(user, text);
    if (announce) await via.fanOut.publish(user, JSON.stringify(item));
    return item;
  };

  const ready = (client: SseClient) => client.until((all) => all.some((m) => m.event === 'ready'), 'ready');

  beforeAll(async () => {
    a = await start({ maxConnectionsPerStream: 2, maxBufferedBytes: 64 * 1024 });
    b = await start({});
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const instance of [a, b]) {
      instance?.hub.close();
      await new Promise((resolve) => instance?.server.close(resolve));
      await instance?.fanOut.close();
    }
    const redis = new Redis(stackEndpoints().redisUrl);
    expect(await redis.pubsub('NUMSUB', `${prefix}nobody`)).toEqual([`${prefix}nobody`, 0]);
    redis.disconnect();
  });

  it('delivers across instances, resumes on the other one from storage in order and without repeats, then fills a lost message', async () => {
    const user = newId();
    const first = connect(a, user);
    expect((await ready(first)).find((m) => m.event === 'ready')).toMatchObject({
      id: '0',
      data: { epoch: null, position: 0, recovered: true },
    });
    await create(b, user);
    await first.until(() => first.positions('item').length === 1, 'the live item');
    expect(first.received.at(-1)).toMatchObject({ event: 'item', id: `${feeds.epoch}:1` });
    first.close();
    await first.closed;

    // Made while the learner had no connection: stored, announced to nobody.
    await create(b, user);
    await create(a, user);
    await create(a, user);
    const again = connect(b, user, `${feeds.epoch}:1`);
    await ready(again);
    await create(a, user);
    await again.until(() => again.positions('item').length === 4, 'the resumed items then the live one');
    expect(again.positions('item')).toEqual([2, 3, 4, 5]);

    // A live message that never arrives: the next one shows the gap, storage fills it.
    await create(a, user, 'lost', false);
    const sixth = await create(a, user);
    await again.until(() => again.positions('item').length === 6, 'the lost item and the next');
    // Announced twice (a relay's redelivery): still shown once.
    await a.fanOut.publish(user, JSON.stringify(sixth));
    await create(a, user);
    await again.until(() => again.positions('item').length >= 7, 'the seventh');
    expect(again.positions('item')).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(b.hub.counters.duplicatesDropped).toBeGreaterThanOrEqual(1);
  });

  it('says "not recovered" with the new head for another epoch or a pruned mark, and goes on live from there', async () => {
    const user = newId();
    for (let index = 0; index < 5; index += 1) await create(a, user);
    feeds.prune(user, 3);
    const stale = connect(a, user, `${feeds.epoch}:2`);
    const other = connect(b, user, `${newId()}:5`);
    for (const client of [stale, other]) {
      await ready(client);
      expect(client.received).toEqual([
        expect.objectContaining({
          event: 'ready',
          id: `${feeds.epoch}:5`,
          data: { epoch: feeds.epoch, position: 5, recovered: false },
        }),
      ]);
    }
    await create(b, user);
    for (const client of [stale, other])
      await client.until(() => client.positions('item').join() === '6', 'the next live item');
  });

  it('cuts a slow consumer with a reason while another connection of the stream keeps receiving everything', async () => {
    const user = newId();
    const slow = connect(a, user);
    const fast = connect(a, user);
    await ready(slow);
    await ready(fast);
    slow.pause();
    const text = 'x'.repeat(60_000);
    let sent = 0;
    while (a.hub.counters.cutSlow === 0 && sent < 2_000) {
      await create(b, user, text);
      sent += 1;
      await fast.until(() => fast.positions('item').length === sent, `item ${sent} on the fast connection`);
    }
    expect(a.hub.counters.cutSlow).toBe(1);
    await create(b, user, 'after the cut');
    await fast.until(() => fast.positions('item').length === sent + 1, 'the item after the cut');
    expect(fast.positions('item')).toEqual(Array.from({ length: sent + 1 }, (_, index) => index + 1));
    slow.resume();
    await slow.closed;
    expect(slow.received.at(-1)).toMatchObject({
      event: 'goodbye',
      data: { reason: 'slow-consumer', reconnect: true },
    });
    expect(slow.positions('item').length).toBeLessThan(sent);
  }, 120_000);

  it('refuses a connection past the per-stream cap, and tells every client to reconnect elsewhere on shutdown', async () => {
    const user = newId();
    const held = [connect(a, user), connect(a, user)];
    for (const client of held) await ready(client);
    const third = connect(a, user);
    expect((await third.response).statusCode).toBe(429);
    await third.closed;
    expect(JSON.parse(third.body)).toEqual({ reason: 'connection-limit' });
    expect(a.hub.counters.refusedOverLimit).toBe(1);

    const onB = connect(b, user);
    await ready(onB);
    b.hub.close();
    await onB.closed;
    expect(onB.received.at(-1)).toMatchObject({
      event: 'goodbye',
      data: { reason: 'server-shutdown', reconnect: true },
    });
    expect(b.hub.connectionCount).toBe(0);
    expect(b.hub.admits(user)).toBe('shutting-down');
  });
});

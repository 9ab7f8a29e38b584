import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId, RpcError } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { GOODBYES, MemoryFanOut, PushHub, WebSocketEndpoint } from '../src/index.ts';
import { Item, MemoryFeeds } from './support/memory-feeds.ts';
import { SocketClient } from './support/push-clients.ts';

// A WebSocket client that stops reading (its socket paused) long before its buffers fill: on
// loopback the kernel takes megabytes first, so the hub never sees bytes pile up. It leaves the
// heartbeat ping unanswered instead, and is cut for it with a reason queued after what it was
// already sent, while the other connections of its user and of another user go on receiving.

const PROTOCOL = 'strata.test.v1';
/** Short, so the two sweeps a stalled peer outlasts pass quickly; the test waits on the counter, not a clock. */
const HEARTBEAT_MS = 300;

describe('push hub (WebSocket): a peer that stops reading', () => {
  const feeds = new MemoryFeeds();
  const fanOut = new MemoryFanOut();
  const clients: SocketClient[] = [];
  let hub: PushHub<Item, string>;
  let endpoint: WebSocketEndpoint<string>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    hub = new PushHub<Item, string>({
      fanOut,
      history: feeds,
      itemSchema: Item,
      itemEvent: 'item',
      heartbeatMs: HEARTBEAT_MS,
    });
    endpoint = new WebSocketEndpoint<string>({
      hub,
      path: '/socket',
      protocol: PROTOCOL,
      // The "token" names the user: what is under test is the hub, not authentication.
      authenticate: async (token) => token.split('.')[0]!,
      streamOf: (user) => user,
      refusal: (error) => ({
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: error instanceof RpcError ? error.message : String(error) }),
      }),
    });
    server = createServer((_req, res) => res.writeHead(404).end());
    endpoint.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/socket`;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    endpoint?.close();
    hub?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const connect = (user: string) => {
    const client = new SocketClient(url, {
      headers: { authorization: `Bearer ${user}.e30.x` },
      protocols: [PROTOCOL],
      subscribe: { type: 'subscribe' },
    });
    clients.push(client);
    return client;
  };
  const ready = (client: SocketClient) =>
    client.until((all) => all.some((message) => message.event === 'ready'), 'ready');
  const create = async (user: string, text: string) => {
    const item = feeds.append(user, text);
    await fanOut.publish(user, JSON.stringify(item));
    return item;
  };

  it('cuts it as unresponsive after an unanswered heartbeat, the reason after its backlog, while the others keep receiving', async () => {
    const user = newId();
    const other = newId();
    const stalled = connect(user);
    const beside = connect(user);
    const elsewhere = connect(other);
    for (const client of [stalled, beside, elsewhere]) await ready(client);

    stalled.pause();
    // Made while it reads nothing: written to its socket, waiting in the kernel.
    await create(user, 'while stalled');
    await create(other, 'while stalled');
    await beside.until(() => beside.positions('item').length === 1, 'the item, beside the stalled client');
    await elsewhere.until(() => elsewhere.positions('item').length === 1, 'the item, for another user');

    // The first sweep after the pause pings it; the next finds that ping unanswered.
    await waitFor('the sweep to cut the unresponsive socket', () => hub.counters.cutUnresponsive > 0, {
      timeoutMs: 30_000,
      everyMs: 20,
      detail: () => `counters: ${JSON.stringify(hub.counters)}`,
    });
    expect(hub.counters).toMatchObject({ cutUnresponsive: 1, cutSlow: 0 });
    expect(hub.connectionCount).toBe(2);

    await create(user, 'after the cut');
    await create(other, 'after the cut');
    await beside.until(() => beside.positions('item').length === 2, 'the item after the cut, beside');
    await elsewhere.until(
      () => elsewhere.positions('item').length === 2,
      'the item after the cut, elsewhere',
    );
    expect(beside.positions('item')).toEqual([1, 2]);
    expect(elsewhere.positions('item')).toEqual([1, 2]);

    // Reading again: what it was sent before the cut, then why it was cut, then the close.
    stalled.resume();
    await stalled.closed;
    expect(stalled.received.map((message) => message.event)).toEqual(['ready', 'item', 'goodbye']);
    expect(stalled.positions('item')).toEqual([1]);
    expect(stalled.received.at(-1)!.data).toEqual({
      reason: 'unresponsive',
      reconnect: true,
      detail: GOODBYES.unresponsive.detail,
    });
    expect({ code: stalled.closeCode, reason: stalled.closeReason }).toEqual({
      code: 4009,
      reason: 'unresponsive',
    });
    // The others were answering their pings all along: still open.
    expect([beside.closeCode, elsewhere.closeCode]).toEqual([undefined, undefined]);
    expect(hub.counters.cutUnresponsive).toBe(1);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { MemoryFanOut, PushHub, WebSocketEndpoint } from '../src/index.ts';
import { Item, MemoryFeeds } from './support/memory-feeds.ts';

// A heartbeat is judged only after the hub's socket was read: the peer, in a process of its own,
// answers while the hub's loop is busy, and the next sweep, on time, must count that answer. The
// sweep's interval fires in the timers phase, before the loop reads its sockets; a sweep judging
// there would find the answer still unread and cut a peer that answered.

const PROTOCOL = 'strata.test.v1';
const HEARTBEAT_MS = 1_000;
/** Past the sweep's period and within its lateness bound (1.25 periods): the next sweep judges. */
const BUSY_MS = 1_050;

describe('push hub (WebSocket): judging a heartbeat', () => {
  const hub = new PushHub<Item, string>({
    fanOut: new MemoryFanOut(),
    history: new MemoryFeeds(),
    itemSchema: Item,
    itemEvent: 'item',
    heartbeatMs: HEARTBEAT_MS,
  });
  const endpoint = new WebSocketEndpoint<string>({
    hub,
    path: '/socket',
    protocol: PROTOCOL,
    authenticate: async (token) => token.split('.')[0]!,
    streamOf: (user) => user,
    refusal: () => ({ status: 400, headers: {}, body: '' }),
  });
  let server: Server;
  let peer: ChildProcess;
  const lines: string[] = [];
  let busyAfterNextPing = false;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(404).end());
    endpoint.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/socket`;
    peer = spawn(
      process.execPath,
      [new URL('./support/late-answering-peer.ts', import.meta.url).pathname, url, PROTOCOL, 'ada'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    createInterface({ input: peer.stdout! }).on('line', (line) => {
      lines.push(line);
      // Busy right after a heartbeat went out: the peer's answer arrives during it.
      if (line === 'ping' && busyAfterNextPing) {
        busyAfterNextPing = false;
        const busyUntil = performance.now() + BUSY_MS;
        while (performance.now() < busyUntil);
      }
    });
    await waitFor('the peer subscribed', () => lines.includes('ready'), {
      everyMs: 5,
      detail: () => lines.join(' | '),
    });
  });

  afterAll(async () => {
    peer?.kill();
    endpoint.close();
    hub.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('counts an answer that arrived while the loop was busy before judging the heartbeat', async () => {
    // A loaded machine can stretch the pause past the lateness bound, and a late sweep judges no
    // one: tried again until a sweep after the pause judged (it counts no late sweep).
    let judged = false;
    for (let attempt = 0; attempt < 5 && !judged; attempt += 1) {
      const late = hub.counters.lateSweeps;
      const pings = lines.filter((line) => line === 'ping').length;
      busyAfterNextPing = true;
      // The heartbeat before the pause, then the one the sweep after it wrote, or the cut.
      await waitFor(
        'the sweep after the pause',
        () =>
          lines.filter((line) => line === 'ping').length >= pings + 2 ||
          lines.some((line) => line.startsWith('closed')),
        { timeoutMs: 20_000, everyMs: 5, detail: () => lines.join(' | ') },
      );
      expect(lines.filter((line) => line.startsWith('closed'))).toEqual([]);
      judged = hub.counters.lateSweeps === late;
    }
    expect(judged).toBe(true);
    expect(hub.counters.cutUnresponsive).toBe(0);
  });
});

import { describe, expect, it } from '@jest/globals';
import { MemoryFanOut, PushHub } from '../src/index.ts';
import { HEARTBEATS_PER_TURN } from '../src/heartbeat-sweep.ts';
import { Item, MemoryFeeds } from './support/memory-feeds.ts';
import { RecordingTransport } from './support/recording-transport.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';

// The hub's sweep over its connections, seen from the transports it drives (recorders of the
// PushTransport port): the question is when the hub writes heartbeats, not how a socket carries
// them (unresponsive-peer.test.ts covers that).

describe('the heartbeat sweep', () => {
  it('writes heartbeats a slice a turn, so what arrives meanwhile is not held behind every connection', async () => {
    const connections = HEARTBEATS_PER_TURN * 2 + 200;
    const log = { heartbeats: 0 };
    const feeds = new MemoryFeeds();
    const fanOut = new MemoryFanOut();
    const hub = new PushHub<Item, string>({
      fanOut,
      history: feeds,
      itemSchema: Item,
      itemEvent: 'item',
      heartbeatMs: 200,
    });
    try {
      const transports = Array.from({ length: connections }, () => new RecordingTransport(log));
      transports.forEach((transport, index) => hub.open(`user-${index}`, `user-${index}`, transport));
      await waitFor(
        'every ready',
        () => transports.every((transport) => transport.readyStates.length === 1),
        { everyMs: 5 },
      );

      // The hub's interval runs from its construction, so on a slow machine sweeps may already have
      // come and gone; the sweep watched is the first to start from here (the first connection's
      // heartbeat opens every sweep), and heartbeats are counted from its start. At its first
      // heartbeat, an item is published to the last connection's stream and a turn is queued: both
      // run before the sweep's next slice, not after the whole sweep.
      let sweepStart: number | undefined;
      let atNextTurn: number | undefined;
      let atDelivery: number | undefined;
      const last = transports.at(-1)!;
      const first = transports[0]!;
      const heartbeat = first.heartbeat.bind(first);
      first.heartbeat = () => {
        if (sweepStart === undefined) {
          const start = log.heartbeats;
          sweepStart = start;
          setImmediate(() => (atNextTurn = log.heartbeats - start));
          const item = feeds.append(`user-${connections - 1}`, 'during the sweep');
          void fanOut.publish(`user-${connections - 1}`, JSON.stringify(item));
          const sendItem = last.sendItem.bind(last);
          last.sendItem = (delivery) => {
            atDelivery ??= log.heartbeats - start;
            sendItem(delivery);
          };
        }
        return heartbeat();
      };
      const sweptFrom = (sweeps: number) => () =>
        sweepStart !== undefined && log.heartbeats >= sweepStart + connections * sweeps;
      await waitFor('one full sweep', sweptFrom(1), { everyMs: 5 });

      expect(atNextTurn).toBe(HEARTBEATS_PER_TURN);
      expect(atDelivery).toBeLessThanOrEqual(HEARTBEATS_PER_TURN);
      expect(last.items.map((item) => item.text)).toEqual(['during the sweep']);
      // One heartbeat each per sweep, none cut, and the next sweep comes round again.
      const before = first.heartbeats;
      expect(transports.every((transport) => transport.heartbeats === before)).toBe(true);
      expect(transports.every((transport) => transport.goodbyes.length === 0)).toBe(true);
      await waitFor('the second sweep', sweptFrom(2), { everyMs: 5 });
      expect(transports.every((transport) => transport.heartbeats === before + 1)).toBe(true);
    } finally {
      hub.close();
    }
  });

  it('cuts no peer as unresponsive on a sweep a stalled loop held back, and judges it on the next, on time', async () => {
    const log = { heartbeats: 0 };
    const feeds = new MemoryFeeds();
    const hub = new PushHub<Item, string>({
      fanOut: new MemoryFanOut(),
      history: feeds,
      itemSchema: Item,
      itemEvent: 'item',
      heartbeatMs: 300,
    });
    try {
      const transports = Array.from({ length: 3 }, () => new RecordingTransport(log));
      transports.forEach((transport, index) => hub.open(`user-${index}`, `user-${index}`, transport));
      await waitFor(
        'every ready',
        () => transports.every((transport) => transport.readyStates.length === 1),
        { everyMs: 5 },
      );

      // The middle peer's answer is missing, as it would be if it arrived during the stall and still
      // waits unread in its socket. What the hub did at the first sweep after the stall is read at
      // the end of that sweep's turn, before any later sweep.
      const silent = transports[1]!;
      silent.answers = false;
      let afterLateSweep: { goodbyes: string[]; cutUnresponsive: number; lateSweeps: number } | undefined;
      const heartbeat = silent.heartbeat.bind(silent);
      silent.heartbeat = () => {
        setImmediate(() => {
          const { cutUnresponsive, lateSweeps } = hub.counters;
          afterLateSweep ??= { goodbyes: [...silent.goodbyes], cutUnresponsive, lateSweeps };
        });
        return heartbeat();
      };
      // The loop stalls for three periods: the next sweep starts that late. (A loaded machine may
      // already have held a sweep back before this one.)
      const lateBefore = hub.counters.lateSweeps;
      const stalledUntil = performance.now() + 900;
      while (performance.now() < stalledUntil);
      await waitFor('the sweep after the stall', () => afterLateSweep !== undefined, { everyMs: 5 });
      expect(afterLateSweep).toEqual({ goodbyes: [], cutUnresponsive: 0, lateSweeps: lateBefore + 1 });

      // Still unanswered at the next sweep: cut, alone.
      await waitFor('the next sweep', () => silent.goodbyes.length > 0, { everyMs: 5 });
      expect(silent.goodbyes).toEqual(['unresponsive']);
      expect(hub.counters.cutUnresponsive).toBe(1);
      expect(transports.filter((transport) => transport.goodbyes.length > 0)).toEqual([silent]);
    } finally {
      hub.close();
    }
  });
});

import { connect } from 'node:net';
import type { Peer } from '../peer.ts';
import { spawnServer } from '../spawn-server.ts';
import { decoder, encode } from './length-prefixed-msgpack.ts';

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** The calls a client waits for, by id: a Map, or (`bare-table`) a fixed array indexed by id. */
interface Waiting {
  set(id: number, waiter: Waiter): void;
  get(id: number): Waiter | undefined;
  delete(id: number): void;
  values(): Iterable<Waiter>;
  clear(): void;
}

/**
 * Ids are sequential and at most --concurrency (≤ 1,024) calls are in flight, so id mod 4,096
 * never collides. Unlike a Map's tables, this array never links to a successor (ADR 0084).
 */
function waitingArray(): Waiting {
  const slots: (Waiter | undefined)[] = new Array<Waiter | undefined>(4096).fill(undefined);
  return {
    set: (id, waiter) => void (slots[id & 4095] = waiter),
    get: (id) => slots[id & 4095],
    delete: (id) => void (slots[id & 4095] = undefined),
    values: () => slots.filter((waiter) => waiter !== undefined),
    clear: () => void slots.fill(undefined),
  };
}

/** The ceiling: msgpack frames multiplexed by id on one socket, and nothing else. */
export const barePeer: Peer & { waiting: () => Waiting } = {
  waiting: () => new Map<number, Waiter>(),
  id: 'bare',
  name: 'bare msgpack/TCP (ceiling)',
  features:
    'one socket, length-prefixed msgpackr frames multiplexed by id; no validation, deadlines or governance',
  validatesInput: false,
  startServer: (nodeOptions) =>
    spawnServer(new URL('./bare-server.ts', import.meta.url), { execArgv: [...nodeOptions] }),
  async createClient(port) {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const waiting = this.waiting();
    let nextId = 0;
    socket.on(
      'data',
      decoder((message) => {
        const { id, r } = message as { id: number; r: unknown };
        waiting.get(id)?.resolve(r);
        waiting.delete(id);
      }),
    );
    const failAll = (error: Error): void => {
      for (const call of [...waiting.values()]) call.reject(error);
      waiting.clear();
    };
    socket.on('error', failAll);
    socket.on('close', () => failAll(new Error('bare server closed the connection')));
    return {
      call(payload) {
        const id = nextId;
        nextId = (nextId + 1) >>> 0;
        return new Promise((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          socket.write(encode({ id, p: payload }));
        });
      },
      async close() {
        socket.end();
      },
    };
  },
};

/** The ceiling's latency: one call in flight, whatever --concurrency says. */
export const bareLatencyPeer: Peer = {
  ...barePeer,
  id: 'bare-c1',
  name: 'bare msgpack/TCP, concurrency 1',
  features: 'the bare ceiling with one call in flight: the latency floor of the wire and Node',
  concurrency: 1,
};

/** The ceiling with its calls in flight in an array instead of a Map: the bare side of ADR 0084. */
export const bareTablePeer: Peer & { waiting: () => Waiting } = {
  ...barePeer,
  id: 'bare-table',
  name: 'bare msgpack/TCP, calls in an array',
  features:
    'the bare ceiling keeping the calls it waits for in a fixed array by id instead of a Map, as Strata ' +
    'keeps them since ADR 0084 (a long-lived Map churned per call keeps every call past scavenges)',
  waiting: waitingArray,
};

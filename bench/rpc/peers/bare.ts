import { connect } from 'node:net';
import type { Peer } from '../peer.ts';
import { spawnServer } from '../spawn-server.ts';
import { decoder, encode } from './length-prefixed-msgpack.ts';

/** The ceiling: msgpack frames multiplexed by id on one socket, and nothing else. */
export const barePeer: Peer = {
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
    const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
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
      for (const call of waiting.values()) call.reject(error);
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

import { ServiceBroker } from 'moleculer';
import type { Peer } from '../peer.ts';
import { spawnServer } from '../spawn-server.ts';
import { brokerOptions } from './moleculer-transport.ts';

const SERVICE_WAIT_MS = 15_000;

export const moleculerPeer: Peer = {
  id: 'moleculer',
  name: 'moleculer (TCP transporter)',
  features:
    'two brokers over the TCP transporter (no external broker; UDP discovery off), JSON serializer, ' +
    'zod validation in the action, request timeout and circuit breaker on',
  validatesInput: true,
  startServer: (nodeOptions) =>
    spawnServer(new URL('./moleculer-server.ts', import.meta.url), { execArgv: [...nodeOptions] }),
  async createClient(port) {
    const broker = new ServiceBroker(brokerOptions('bench-client', { serverPort: port }));
    await broker.start();
    await broker.waitForServices('course', SERVICE_WAIT_MS);
    return {
      call: (payload) => broker.call('course.echo', payload),
      close: () => broker.stop(),
    };
  },
};

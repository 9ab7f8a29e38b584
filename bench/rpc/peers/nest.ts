import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import type { Peer } from '../peer.ts';
import { spawnServer, SWC_LOADER } from '../spawn-server.ts';
import { ECHO_PATTERN } from './nest-pattern.ts';

/** NestJS has no deadline on the wire; an rxjs timeout on the client is what its users write instead. */
const CALL_TIMEOUT_MS = 5_000;

export const nestPeer: Peer = {
  id: 'nest',
  name: 'NestJS microservices TCP',
  features:
    'Transport.TCP with ClientProxy.send (one socket, JSON frames), zod validation in the handler, ' +
    'rxjs timeout on the client; Nest has no balancer, registry or breaker',
  validatesInput: true,
  // The server's decorators need SWC with metadata (docs/adr/0001); the client needs none.
  startServer: (nodeOptions) =>
    spawnServer(new URL('./nest-server.ts', import.meta.url), { execArgv: [...SWC_LOADER, ...nodeOptions] }),
  async createClient(port) {
    const client = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port },
    });
    await client.connect();
    return {
      call: (payload) => firstValueFrom(client.send(ECHO_PATTERN, payload).pipe(timeout(CALL_TIMEOUT_MS))),
      async close() {
        await client.close();
      },
    };
  },
};

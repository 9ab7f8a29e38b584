// A loopback port for a helper a bench starts (an nginx, a server, a port known to be closed). One
// finder for every bench, so each asks the kernel the same way and fails the same way.
import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that the kernel gave out and that was closed again a moment ago: free
 * for a helper to take, and with nothing listening on it until one does.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('loopback listener has no port');
  return address.port;
}

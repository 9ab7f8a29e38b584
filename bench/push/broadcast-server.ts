// What the ceiling and the floor share: their HTTP server on loopback, and the bench's commands
// over IPC (`gc`, `broadcast`, `stop`). Each says only how it holds its sockets and writes to them.
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface BroadcastServer {
  readonly server: Server;
  /** Connections held now. */
  connections(): number;
  /** Writes `text` to the first `count` connections (in connection order, the same every round). */
  broadcast(text: string, count: number): void;
  /** Drops every connection at once. */
  dropAll(): void;
}

export function serveBroadcasts(broadcaster: BroadcastServer): void {
  const { server } = broadcaster;
  server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
    const address = server.address();
    process.send!({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', (message: { cmd: string; recipients?: number; body?: string }) => {
    if (message.cmd === 'gc') {
      globalThis.gc?.();
      process.send!({
        type: 'gc',
        heapUsed: process.memoryUsage().heapUsed,
        connections: broadcaster.connections(),
        errors: {},
      });
    }
    if (message.cmd === 'broadcast') {
      // The message as the server has it, stamped once: the same JSON a notification is. Whatever
      // the server does with the text (framing) is inside the time it reports.
      const sentAt = performance.timeOrigin + performance.now();
      const text = message.body!.replace('SENT_AT', sentAt.toFixed(3));
      broadcaster.broadcast(text, Math.min(message.recipients!, broadcaster.connections()));
      process.send!({ type: 'written', ms: performance.timeOrigin + performance.now() - sentAt });
    }
    if (message.cmd === 'stop') {
      broadcaster.dropAll();
      server.close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

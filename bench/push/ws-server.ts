// The ceiling: a plain `ws` broadcast server, nothing else. No authentication, no stream per
// user, no positions, no buffer limit, no heartbeat: it accepts every upgrade, keeps the sockets
// in ws's own client set, and on the bench's word sends one message to the first N of them.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, perMessageDeflate: false });
// Sockets in connection order, so "the first N" are the same recipients every round.
const sockets: WebSocket[] = [];
wss.on('connection', (socket) => {
  sockets.push(socket);
  socket.on('close', () => sockets.splice(sockets.indexOf(socket), 1));
});
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
      connections: sockets.length,
      errors: {},
    });
  }
  if (message.cmd === 'broadcast') {
    // The message as the server has it, stamped once: the same JSON a notification is, sent as is.
    const sentAt = performance.timeOrigin + performance.now();
    const frame = message.body!.replace('SENT_AT', sentAt.toFixed(3));
    const count = Math.min(message.recipients!, sockets.length);
    for (let index = 0; index < count; index += 1) sockets[index]!.send(frame);
    process.send!({ type: 'written', ms: performance.timeOrigin + performance.now() - sentAt });
  }
  if (message.cmd === 'stop') {
    for (const socket of sockets) socket.terminate();
    server.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

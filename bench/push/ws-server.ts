// The ceiling: a plain `ws` broadcast server, nothing else. No authentication, no stream per
// user, no positions, no buffer limit, no heartbeat: it accepts every upgrade, keeps the sockets
// in ws's own client set, and on the bench's word sends one message to the first N of them.
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveBroadcasts } from './broadcast-server.ts';

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, perMessageDeflate: false });
// Sockets in connection order, so "the first N" are the same recipients every round.
const sockets: WebSocket[] = [];
wss.on('connection', (socket) => {
  sockets.push(socket);
  socket.on('close', () => sockets.splice(sockets.indexOf(socket), 1));
});
serveBroadcasts({
  server,
  connections: () => sockets.length,
  broadcast(text, count) {
    for (let index = 0; index < count; index += 1) sockets[index]!.send(text);
  },
  dropAll() {
    for (const socket of sockets) socket.terminate();
  },
});

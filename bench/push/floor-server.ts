// The floor: what writing one message to N sockets costs on this machine, whatever the server.
// It completes the WebSocket handshake itself and keeps the raw sockets; a fan-out is one frame,
// built once, written to each socket with one `write`. No framing per send, no library, no
// per-socket state: no server can fan out to N sockets in fewer steps, so its latency is the
// machine's (the kernel's loopback writes and the clients' reads on shared cores), not the code's.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { serveBroadcasts } from './broadcast-server.ts';

// RFC 6455, section 1.3: the accept key proves the server read the client's handshake.
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One unmasked, final text frame (RFC 6455, section 5.2) holding `payload`. */
function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const head =
    length < 126
      ? Buffer.from([0x81, length])
      : length < 65_536
        ? Buffer.from([0x81, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x81, 127]), Buffer.alloc(8)]);
  if (length >= 65_536) head.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([head, payload]);
}

const server = createServer((_req, res) => res.writeHead(404).end());
// Sockets in connection order, so "the first N" are the same recipients every round.
const sockets: Socket[] = [];
server.on('upgrade', (request, socket: Socket) => {
  const key = request.headers['sec-websocket-key'];
  if (typeof key !== 'string') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return;
  }
  const accept = createHash('sha1')
    .update(key + HANDSHAKE_GUID)
    .digest('base64');
  socket.setNoDelay(true);
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  sockets.push(socket);
  // The clients send nothing after the handshake; a socket that goes is forgotten.
  socket.on('error', () => socket.destroy());
  socket.on('close', () => sockets.splice(sockets.indexOf(socket), 1));
});
serveBroadcasts({
  server,
  connections: () => sockets.length,
  broadcast(text, count) {
    const frame = textFrame(Buffer.from(text));
    for (let index = 0; index < count; index += 1) sockets[index]!.write(frame);
  },
  dropAll() {
    for (const socket of sockets) socket.destroy();
  },
});

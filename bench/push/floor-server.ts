// The floor: what writing one message to N sockets costs on this machine, whatever the server.
// It completes the WebSocket handshake itself and keeps the raw sockets; a fan-out is one frame,
// built once, written to each socket with one `write`. No framing per send, no library, no
// per-socket state: no server can fan out to N sockets in fewer steps, so its latency is the
// machine's (the kernel's loopback writes and the clients' reads on shared cores), not the code's.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

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
    // Stamped once, as the ceiling does; building the one frame is inside the measured time.
    const sentAt = performance.timeOrigin + performance.now();
    const frame = textFrame(Buffer.from(message.body!.replace('SENT_AT', sentAt.toFixed(3))));
    const count = Math.min(message.recipients!, sockets.length);
    for (let index = 0; index < count; index += 1) sockets[index]!.write(frame);
    process.send!({ type: 'written', ms: performance.timeOrigin + performance.now() - sentAt });
  }
  if (message.cmd === 'stop') {
    for (const socket of sockets) socket.destroy();
    server.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

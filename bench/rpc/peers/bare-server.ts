import { createServer } from 'node:net';
import { announceReady, assignedPort } from '../server-process.ts';
import { decoder, encode } from './length-prefixed-msgpack.ts';

/** Decodes each request and answers it with its own payload: no validation, no deadlines, nothing. */
const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on(
    'data',
    decoder((message) => {
      const { id, p } = message as { id: number; p: unknown };
      socket.write(encode({ id, r: p }));
    }),
  );
  socket.on('error', () => socket.destroy());
});

server.listen(assignedPort(), '127.0.0.1', () => {
  announceReady(() => new Promise((resolve) => server.close(() => resolve())));
});

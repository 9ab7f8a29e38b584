// One of several client processes: opens its share of idle WebSockets to one server, each bound to
// one of several loopback source addresses (one address reaches a destination through ~28k
// ephemeral ports only), and records, for every notification it receives, the time from the
// stamp in the message to its arrival here (same machine, same clock).
import { performance } from 'node:perf_hooks';
import { importJWK, SignJWT, type JWK } from 'jose';
import WebSocket from 'ws';

interface Connect {
  cmd: 'connect';
  url: string;
  /** `ours` authenticates, subscribes and waits for `ready`; `ceiling` waits for the open. */
  mode: 'ours' | 'ceiling';
  users: string[];
  addresses: string[];
  concurrency: number;
}

const privateKey = process.env.BENCH_JWK_PRIVATE
  ? await importJWK(JSON.parse(process.env.BENCH_JWK_PRIVATE) as JWK, 'EdDSA')
  : undefined;
const sockets: WebSocket[] = [];
let latencies: number[] = [];
let unexpected = 0;
let closed = 0;
const reasons = new Map<string, number>();
const note = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);

function received(this: WebSocket, data: WebSocket.RawData): void {
  const at = performance.timeOrigin + performance.now();
  const text = String(data);
  // A notification's stamp is read without parsing the whole message: the client's CPU is not what is measured.
  if (text.startsWith('{"type":"notification"')) {
    const start = text.indexOf('"text":"sent at ') + 16;
    latencies.push(at - Number(text.slice(start, text.indexOf('"', start))));
    return;
  }
  const message = JSON.parse(text) as { type: string; data: unknown };
  if (message.type === 'ready') this.emit('bench-ready');
  else {
    unexpected += 1;
    note(`message ${message.type}: ${JSON.stringify(message.data).slice(0, 200)}`);
  }
}

async function token(userId: string): Promise<string> {
  return new SignJWT({ roles: ['learner'] })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'bench' })
    .setSubject(userId)
    .setIssuer('bench-push')
    .setAudience('strata')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey!);
}

async function open(command: Connect, userId: string, index: number): Promise<boolean> {
  const localAddress = command.addresses[index % command.addresses.length]!;
  const options: WebSocket.ClientOptions = {
    localAddress,
    perMessageDeflate: false,
    handshakeTimeout: 60_000,
  };
  const protocols: string[] = [];
  if (command.mode === 'ours') {
    options.headers = { authorization: `Bearer ${await token(userId)}` };
    protocols.push('strata.notifications.v1');
  }
  const socket = new WebSocket(command.url, protocols, options);
  return new Promise<boolean>((resolve) => {
    socket.once('error', (error) => {
      note(`error: ${error.message}`);
      resolve(false);
    });
    socket.once('close', (code, reason) => {
      closed += 1;
      note(`close ${code} ${String(reason)}`);
      resolve(false);
    });
    socket.on('message', received);
    if (command.mode === 'ours') {
      socket.once('open', () => socket.send('{"type":"subscribe"}'));
      socket.once('bench-ready', () => resolve(true));
    } else socket.once('open', () => resolve(true));
    sockets.push(socket);
  });
}

async function connect(command: Connect): Promise<void> {
  const started = performance.now();
  let next = 0;
  let opened = 0;
  const worker = async () => {
    while (next < command.users.length) {
      const index = next++;
      if (await open(command, command.users[index]!, index)) opened += 1;
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, worker));
  process.send!({
    type: 'connected',
    opened,
    ms: performance.now() - started,
    reasons: Object.fromEntries(reasons),
  });
}

process.on('message', (command: Connect | { cmd: 'collect' | 'stop' }) => {
  if (command.cmd === 'connect') void connect(command);
  if (command.cmd === 'collect') {
    process.send!({ type: 'latencies', latencies, unexpected, closed, reasons: Object.fromEntries(reasons) });
    latencies = [];
  }
  if (command.cmd === 'stop') {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'started' });

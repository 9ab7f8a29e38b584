// npm run bench:push — idle WebSocket connections held and their memory, and fan-out latency, for
// our push server (infra/push as learner-api wires it: WebSocketEndpoint + PushHub + RedisFanOut,
// bench/push/push-server.ts) against a plain `ws` broadcast server (the ceiling) and one frame
// written raw to every socket (the floor: what this machine's kernel allows), one after the other
// in the same run. Each server runs alone in its process, so its RSS (VmRSS in
// /proc/<pid>/status, after a full GC) is its own; the clients live in several other processes,
// bound to several loopback source addresses. Any failure makes the command exit 1 and prints no
// number for that row.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stackEndpoints } from '@strata/dev-stack';
import { NotificationView } from '@strata/notification/contract';
import { exportJWK, generateKeyPair } from 'jose';
import { Redis } from 'ioredis';
import { median } from '../shared/median.ts';
import { residentKiB } from '../shared/process-memory.ts';
import { summarize, userIdOf, type Summary } from './figures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    recipients: { type: 'string', default: '10000' },
    samples: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    clients: { type: 'string' },
    peers: { type: 'string', default: 'ours,ceiling,floor' },
  },
});
type Peer = 'ours' | 'ceiling' | 'floor';
const peers = options.peers.split(',') as Peer[];
let connections = Number(options.connections);
const samples = Number(options.samples);
const rounds = Number(options.rounds);
const notes: string[] = [];
const loadAtStart = loadavg()
  .map((load) => load.toFixed(1))
  .join(' ');

// Every connection is a file descriptor in the server and in a client; a server also needs a few
// of its own (Redis, stdio, the listener).
const SPARE_FDS = 200;
const wantedFds = connections + SPARE_FDS;
const hardFds = Number(execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim());
if (Number.isFinite(hardFds) && hardFds < wantedFds) {
  const capped = hardFds - SPARE_FDS;
  notes.push(
    `open files: the hard limit here is ${hardFds} (no CAP_SYS_RESOURCE to raise it), so one server ` +
      `process holds at most ~${capped} connections: asked ${connections}, measured ${capped}; ` +
      `"50k projected" extrapolates the measured memory per connection`,
  );
  connections = capped;
}
const recipients = Math.min(Number(options.recipients), connections);
const clientCount = Number(options.clients ?? Math.max(2, Math.ceil(connections / 5_000)));
// ~28k ephemeral ports per source address and destination; a margin for other people's tests.
const addresses = Array.from(
  { length: Math.ceil(connections / 20_000) + 1 },
  (_, index) => `127.0.0.${index + 2}`,
);

const dir = mkdtempSync(join(tmpdir(), 'strata-bench-push-'));
const { redisUrl } = stackEndpoints();
const deployment = `bp${randomBytes(4).toString('hex')}`;
const redisPrefix = `strata:${deployment}:push:`;
const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA' };
const privateJwk = { ...(await exportJWK(privateKey)), kid: 'bench', alg: 'EdDSA' };
const started: ChildProcess[] = [];

interface Node {
  readonly child: ChildProcess;
  readonly log: string;
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** A node process with its open-files soft limit raised as far as allowed, talking over IPC. */
function startNode(name: string, script: string, env: Record<string, string>, flags: string[] = []): Node {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(
    'bash',
    [
      '-c',
      `ulimit -n ${wantedFds} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`,
      'bash',
      process.execPath,
      ...flags,
      join(here, script),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd, 'ipc'] },
  );
  closeSync(fd);
  started.push(child);
  const inbox: Record<string, unknown>[] = [];
  const waiting: { type: string; resolve: (message: Record<string, unknown>) => void }[] = [];
  child.on('message', (message: Record<string, unknown>) => {
    const index = waiting.findIndex((wait) => wait.type === message.type);
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(message);
    else inbox.push(message);
  });
  return {
    child,
    log,
    next(type, timeoutMs = 300_000) {
      const index = inbox.findIndex((message) => message.type === type);
      if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name}: no "${type}" within ${timeoutMs} ms; log ${log}:\n${tail(log)}`)),
          timeoutMs,
        );
        const exited = () =>
          reject(new Error(`${name} exited (${child.exitCode}); log ${log}:\n${tail(log)}`));
        child.once('exit', exited);
        waiting.push({
          type,
          resolve: (message) => {
            clearTimeout(timer);
            child.off('exit', exited);
            resolve(message);
          },
        });
      });
    },
  };
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').slice(-2000);
}

/** RSS after two full collections and a pause, so garbage from connecting is not counted. */
async function settledRss(
  server: Node,
): Promise<{ kb: number; heapKb: number; held: number; errors: unknown }> {
  let reply: Record<string, unknown> = {};
  for (let pass = 0; pass < 2; pass += 1) {
    server.child.send({ cmd: 'gc' });
    reply = await server.next('gc');
    await sleep(1_000);
  }
  return {
    kb: residentKiB(server.child.pid!),
    heapKb: (reply.heapUsed as number) / 1024,
    held: reply.connections as number,
    errors: reply.errors,
  };
}

/** A notification as learner-api publishes it; `text` carries the send time (ms since the epoch). */
function notification(userId: string, position: number, sentAt: string): string {
  return JSON.stringify({
    id: crypto.randomUUID(),
    recipientId: userId,
    kind: 'receipt',
    title: 'Payment received',
    text: `sent at ${sentAt}`,
    link: '/orders/8f2c1e7a-0b7d-4c3e-9a51-2f6d4b8e9c10',
    createdAt: new Date().toISOString(),
    readAt: null,
    epoch: deployment,
    position,
    version: 0,
  });
}
NotificationView.parse(JSON.parse(notification(userIdOf(0), 1, '1.5')));

interface Row {
  peer: Peer;
  held: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  /** RSS at half the connections: the second half's growth is the cost of a connection without one-off growth (heap spaces, pools). */
  rssHalfKb: number;
  halfHeld: number;
  heapBeforeKb: number;
  heapAfterKb: number;
  connectSeconds: number;
  one: Summary;
  many: Summary;
  /** The ceiling's and the floor's time from their stamp to the last socket's write, per fan-out round. */
  writtenMs: number[];
}

async function measure(peer: Peer): Promise<Row> {
  console.log(`bench:push — ${peer}: starting the server and ${clientCount} client processes…`);
  const server =
    peer === 'ours'
      ? startNode(
          'push-server',
          'push-server.ts',
          {
            BENCH_REDIS_URL: redisUrl,
            BENCH_REDIS_PREFIX: redisPrefix,
            BENCH_JWK: JSON.stringify(publicJwk),
            // learner-api runs under SWC (NestJS decorators in @strata/runtime); so does this server.
          },
          ['--expose-gc', '--import', '@strata/runtime/typescript'],
        )
      : startNode(`${peer}-server`, peer === 'ceiling' ? 'ws-server.ts' : 'floor-server.ts', {}, [
          '--expose-gc',
        ]);
  const clients: Node[] = [];
  const publisher = peer === 'ours' ? new Redis(redisUrl) : undefined;
  try {
    const { port } = (await server.next('ready', 60_000)) as { port: number };
    const url = `ws://127.0.0.1:${port}${peer === 'ours' ? '/notifications/socket' : '/'}`;
    for (let index = 0; index < clientCount; index += 1) {
      const client = startNode(`${peer}-client-${index}`, 'client-process.ts', {
        BENCH_JWK_PRIVATE: JSON.stringify(privateJwk),
      });
      clients.push(client);
    }
    await Promise.all(clients.map((client) => client.next('started', 60_000)));
    const before = await settledRss(server);

    // Two halves, each spread over every client process: RSS is read after each.
    const per = Math.ceil(connections / clientCount);
    const half = Math.ceil(per / 2);
    let connectMs = 0;
    let opened = 0;
    const replies: Record<string, unknown>[] = [];
    let middle = before;
    for (const [from, to] of [
      [0, half],
      [half, per],
    ] as const) {
      const connectStart = performance.now();
      const answers = await Promise.all(
        clients.map((client, index) => {
          const users: string[] = [];
          for (let k = from; k < to && index * per + k < connections; k += 1)
            users.push(userIdOf(index * per + k));
          client.child.send({
            cmd: 'connect',
            url,
            mode: peer === 'ours' ? 'ours' : 'ceiling',
            users,
            addresses,
            concurrency: 64,
          });
          return client.next('connected', 600_000);
        }),
      );
      connectMs += performance.now() - connectStart;
      opened += answers.reduce((sum, reply) => sum + (reply.opened as number), 0);
      replies.push(...answers);
      if (from === 0) {
        await sleep(2_000);
        middle = await settledRss(server);
      }
    }
    const connectSeconds = connectMs / 1000;
    if (opened !== connections)
      throw new Error(
        `${peer}: ${opened} of ${connections} connections opened; ${JSON.stringify(replies.map((reply) => reply.reasons))}`,
      );
    await sleep(2_000);
    const after = await settledRss(server);
    if (after.held !== connections)
      throw new Error(`${peer}: the server holds ${after.held} connections, not ${connections}`);

    const positions = new Array<number>(recipients).fill(0);
    /** Sends to `count` recipients; the ceiling and the floor answer how long their writes took. */
    const send = async (count: number): Promise<number | undefined> => {
      if (publisher === undefined) {
        const body = JSON.stringify({
          type: 'notification',
          data: JSON.parse(notification(userIdOf(0), 1, 'SENT_AT')),
        });
        server.child.send({ cmd: 'broadcast', recipients: count, body });
        return (await server.next('written')).ms as number;
      }
      // As learner-api's relay does for each NotificationCreated: one message on the recipient's channel.
      for (let index = 0; index < count; index += 1) {
        const userId = userIdOf(index);
        positions[index]! += 1;
        const sentAt = (performance.timeOrigin + performance.now()).toFixed(3);
        void publisher.publish(redisPrefix + userId, notification(userId, positions[index]!, sentAt));
      }
      return undefined;
    };
    const collect = async (expected: number, timeoutMs: number): Promise<number[]> => {
      const deadline = Date.now() + timeoutMs;
      const latencies: number[] = [];
      for (;;) {
        const answers = await Promise.all(
          clients.map((client) => {
            client.child.send({ cmd: 'collect' });
            return client.next('latencies');
          }),
        );
        for (const answer of answers) {
          latencies.push(...(answer.latencies as number[]));
          if ((answer.closed as number) > 0)
            throw new Error(`${peer}: connections closed: ${JSON.stringify(answer.reasons)}`);
        }
        if (latencies.length >= expected) return latencies;
        if (Date.now() > deadline)
          throw new Error(
            `${peer}: ${latencies.length} of ${expected} messages arrived within ${timeoutMs} ms`,
          );
        await sleep(100);
      }
    };

    console.log(`bench:push — ${peer}: ${connections} connections held; ${samples} single sends…`);
    const one: number[] = [];
    for (let sample = 0; sample < samples; sample += 1) {
      await send(1);
      await sleep(10);
      if (sample % 50 === 49) one.push(...(await collect(50, 10_000)));
    }
    one.push(...(await collect(samples - one.length, 10_000)));
    console.log(`bench:push — ${peer}: ${rounds} rounds to ${recipients} recipients…`);
    const many: number[] = [];
    const writtenMs: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const written = await send(recipients);
      if (written !== undefined) writtenMs.push(written);
      many.push(...(await collect(recipients, 30_000)));
      await sleep(500);
    }
    return {
      peer,
      held: after.held,
      rssBeforeKb: before.kb,
      rssAfterKb: after.kb,
      rssHalfKb: middle.kb,
      heapBeforeKb: before.heapKb,
      heapAfterKb: after.heapKb,
      halfHeld: middle.held,
      connectSeconds,
      one: summarize(one),
      many: summarize(many),
      writtenMs,
    };
  } finally {
    for (const client of clients) if (client.child.connected) client.child.send({ cmd: 'stop' });
    if (server.child.connected) server.child.send({ cmd: 'stop' });
    await publisher?.quit();
    await Promise.all(
      [server, ...clients].map(
        (node) =>
          new Promise((resolve) =>
            node.child.exitCode === null ? node.child.once('exit', resolve) : resolve(0),
          ),
      ),
    );
  }
}

const rows: Row[] = [];
let failed = false;
try {
  for (const peer of peers) {
    try {
      rows.push(await measure(peer));
    } catch (error) {
      failed = true;
      console.error(`bench:push — ${peer} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // Nothing to clean in Redis: pub/sub channels leave no keys behind.
}

const kbPer = (row: Row) => (row.rssAfterKb - row.rssBeforeKb) / row.held;
const marginal = (row: Row) => (row.rssAfterKb - row.rssHalfKb) / (row.held - row.halfHeld);
const heapPer = (row: Row) => (row.heapAfterKb - row.heapBeforeKb) / row.held;
const ceiling = rows.find((row) => row.peer === 'ceiling');
const label = {
  ours: 'ours (infra/push)',
  ceiling: 'plain ws (ceiling)',
  floor: 'one frame, raw writes (floor)',
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const table = [
  [
    'row',
    'held',
    'RSS before',
    'RSS after',
    'KB/conn',
    '2nd half',
    'heap',
    '50k proj.',
    'connect/s',
    `1 rcpt p50`,
    'p99',
    `${recipients} rcpt p50`,
    'p99',
    'writes',
  ],
  ...rows.map((row) => [
    label[row.peer],
    String(row.held),
    `${(row.rssBeforeKb / 1024).toFixed(0)} MB`,
    `${(row.rssAfterKb / 1024).toFixed(0)} MB`,
    kbPer(row).toFixed(2),
    marginal(row).toFixed(2),
    heapPer(row).toFixed(2),
    `${((row.rssBeforeKb + kbPer(row) * 50_000) / 1024).toFixed(0)} MB`,
    (row.held / row.connectSeconds).toFixed(0),
    ms(row.one.p50),
    ms(row.one.p99),
    ms(row.many.p50),
    ms(row.many.p99),
    row.writtenMs.length === 0 ? '–' : ms(median(row.writtenMs)),
  ]),
  ...(ceiling === undefined
    ? []
    : rows
        .filter((row) => row !== ceiling)
        .map((row) => [
          `${row.peer} ÷ ceiling`,
          '',
          '',
          '',
          `${(kbPer(row) / kbPer(ceiling)).toFixed(2)}×`,
          `${(marginal(row) / marginal(ceiling)).toFixed(2)}×`,
          `${(heapPer(row) / heapPer(ceiling)).toFixed(2)}×`,
          '',
          `${(row.held / row.connectSeconds / (ceiling.held / ceiling.connectSeconds)).toFixed(2)}×`,
          `${(row.one.p50 / ceiling.one.p50).toFixed(2)}×`,
          `${(row.one.p99 / ceiling.one.p99).toFixed(2)}×`,
          `${(row.many.p50 / ceiling.many.p50).toFixed(2)}×`,
          `${(row.many.p99 / ceiling.many.p99).toFixed(2)}×`,
          row.writtenMs.length === 0 || ceiling.writtenMs.length === 0
            ? ''
            : `${(median(row.writtenMs) / median(ceiling.writtenMs)).toFixed(2)}×`,
        ])),
];
const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
console.log('');
console.log(
  'bench:push — idle WebSocket connections one server process holds, its RSS per connection (VmRSS delta ÷ connections, after GC),',
);
console.log(
  'and fan-out latency from "sent" (stamped in the message) to "received" by the client, for 1 recipient and for many.',
);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')} (at the start: ${loadAtStart}); ` +
    `${clientCount} client processes on ${addresses.join(', ')}; ${samples} single sends, ${rounds} rounds of ${recipients}`,
);
for (const line of table)
  console.log(
    line
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  '),
  );
console.log('');
console.log(
  "segments: ours = Redis PUBLISH by the bench (as learner-api's relay does per NotificationCreated, one message per recipient) → RedisFanOut → PushHub (zod-validated, positioned) → WebSocketEndpoint's socket → client; " +
    'storage is a stand-in (head from memory, no engagement-service RPC), so outbox → Kafka → relay is NOT in these figures. ' +
    'ceiling = the ws server has the message (one stamp) → socket.send to the first N sockets → client. ' +
    "floor = the same stamp → one frame built once, written to each of the first N raw sockets → client: the fewest steps any server can take, so its latency is the machine's. " +
    "writes = median over rounds of the time from the stamp to the last socket's write returning (ceiling and floor; ours receives its messages one by one from Redis).",
);
for (const note of notes) console.log(`note: ${note}`);
console.log(
  'KB/conn = (RSS after − RSS before) ÷ held; 2nd half = the same over the second half of the connections only (no one-off growth); ' +
    'heap = V8 heap used per connection (the rest of RSS is native: sockets, buffers); 50k proj. = RSS before + 50,000 × KB/conn',
);
console.log(
  `goals: 50,000 idle connections ≤ 1 GB (see "50k proj."), p99 ≤ 100 ms for ${recipients} recipients`,
);
const floor = rows.find((row) => row.peer === 'floor');
if (floor !== undefined && floor.many.p99 > 100)
  console.log(
    `the floor's own p99 for ${recipients} recipients is ${ms(floor.many.p99)}: on this machine no server reaches ` +
      `p99 ≤ 100 ms at this fan-out (its writes alone took ${ms(median(floor.writtenMs))})`,
  );
console.log(`logs: ${dir}`);
process.exit(failed ? 1 : 0);

// node bench/gateway/client-compare.ts [seconds] [concurrency]: the gateway's upstream client
// choice, measured alone: the same GET to a local node:http upstream (in a process of its own)
// through undici's Pool with a bare dispatch handler (as src/proxy-attempt.ts uses it) and through
// node:http's request() with a keep-alive Agent, each with `concurrency` requests in flight;
// prints requests/s and this process's CPU µs per request for each, in the same run.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { Pool } from 'undici';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 32);
const upstream = spawn(
  process.execPath,
  [
    '-e',
    `const body = JSON.stringify({ ok: true, course: 'intro-to-ddd', lessons: 12 });
     const server = require('node:http').createServer((req, res) => {
       res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
       res.end(body);
     });
     server.keepAliveTimeout = 60000;
     server.listen(0, '127.0.0.1', () => console.log('ready ' + server.address().port));`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise<number>((resolve) =>
  upstream.stdout.on('data', (chunk: Buffer) => resolve(Number(/ready (\d+)/.exec(chunk.toString())![1]))),
);
const origin = `http://127.0.0.1:${port}`;
const headers = { 'x-request-id': 'client-compare', 'x-forwarded-for': '127.0.0.1' };

type Send = () => Promise<void>;

const pool = new Pool(origin, { connections: 128, keepAliveTimeout: 10_000, pipelining: 1 });
const viaUndici: Send = () =>
  new Promise((resolve, reject) => {
    pool.dispatch(
      { method: 'GET', path: '/courses/1', headers },
      {
        onConnect() {},
        onHeaders: () => true,
        onData: () => true,
        onComplete: () => resolve(),
        onError: reject,
      },
    );
  });

const agent = new Agent({ keepAlive: true, maxSockets: 128 });
const viaHttp: Send = () =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/courses/1', method: 'GET', headers, agent },
      (res) => {
        res.on('data', () => {});
        res.on('end', resolve);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });

async function measure(send: Send, durationMs: number): Promise<{ rps: number; cpuUs: number }> {
  let done = 0;
  const until = performance.now() + durationMs;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await send();
        done += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rps: done / elapsed, cpuUs: (used.user + used.system) / done };
}

console.log(
  `client-compare: ${concurrency} in flight, ${seconds} s per row after 2 s of warm-up, alternating`,
);
for (const [, send] of [
  ['undici Pool + dispatch handler', viaUndici],
  ['node:http request + keep-alive Agent', viaHttp],
] as const)
  await measure(send, 2000);
for (let round = 1; round <= 2; round += 1) {
  for (const [name, send] of [
    ['undici Pool + dispatch handler', viaUndici],
    ['node:http request + keep-alive Agent', viaHttp],
  ] as const) {
    const { rps, cpuUs } = await measure(send, seconds * 1000);
    console.log(
      `round ${round}  ${name.padEnd(38)} ${rps.toFixed(0).padStart(7)} req/s  ${cpuUs.toFixed(1).padStart(6)} CPU µs/req`,
    );
  }
}
await pool.close();
agent.destroy();
upstream.kill('SIGTERM');

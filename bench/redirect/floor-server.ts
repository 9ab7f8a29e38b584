import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

// bench:redirect's floor: the least a redirect that keeps every visit in Redis before answering
// can do on this machine. node:net, a canned 302 (written again for a second), and per turn of the
// event loop ONE Redis command for that turn's visits — a small script that counts them (INCRBY)
// and queues their lines as one stream entry (XADD, trimmed, since nothing ships them) — written as
// raw RESP on one socket; the turn's requests are answered when Redis replies. No cache, no visitor
// hash, no id, no cap, no Kafka, no HTTP checks: the visit line is a counter and a constant of a
// real line's length. Whatever it reaches is the most any compliant redirect can reach here.
// argv: target URL, Redis URL, key prefix.
const [target, redisUrl, prefix] = process.argv.slice(2) as [string, string, string];
const redisAddress = new URL(redisUrl);
const countKey = `${prefix}floor:visits`;
const streamKey = `${prefix}floor:visit-stream`;
// As long as the redirect's queued line (ids, slug, ISO time, referrer host, family, 64-hex hash).
const LINE_REST = `\t${'0'.repeat(36)}\t1\tabcdefg\t2026-12-06T00:00:00.000Z\tnews.example.com\tchrome\t0\t${'f'.repeat(64)}`;
const SCRIPT =
  "redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'v', ARGV[2]) return redis.call('INCRBY', KEYS[1], ARGV[1])";

const redis = createConnection({ host: redisAddress.hostname, port: Number(redisAddress.port || 6379) });
redis.setNoDelay(true);

function resp(...parts: string[]): string {
  let text = `*${parts.length}\r\n`;
  for (const part of parts) text += `$${Buffer.byteLength(part)}\r\n${part}\r\n`;
  return text;
}

let answer = '';
let answerSecond = -1;
function answerText(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== answerSecond) {
    answerSecond = second;
    answer =
      `HTTP/1.1 302 Found\r\ncache-control: private, no-store\r\nreferrer-policy: unsafe-url\r\nlocation: ${target}\r\n` +
      `date: ${new Date().toUTCString()}\r\ncontent-length: 0\r\n\r\n`;
  }
  return answer;
}

// Sockets whose requests this turn gathered (a socket once per request), and the commits in flight.
let waiting: Socket[] = [];
let lines = '';
let scheduled = false;
const inFlight: Socket[][] = [];
let visits = 0;
let sha = '';

function commit(): void {
  scheduled = false;
  const batch = waiting;
  waiting = [];
  inFlight.push(batch);
  redis.write(resp('EVALSHA', sha, '2', countKey, streamKey, String(batch.length), lines));
  lines = '';
}

let replies = '';
redis.on('data', (chunk: Buffer) => {
  replies += chunk.toString('latin1');
  let end: number;
  while ((end = replies.indexOf('\r\n')) !== -1) {
    const reply = replies.slice(0, end);
    replies = replies.slice(end + 2);
    if (sha === '') {
      // The script's load: a bulk string, its length line first.
      if (reply.startsWith('$')) continue;
      sha = reply;
      listen();
      continue;
    }
    if (reply.startsWith('-')) throw new Error(`Redis refused the commit: ${reply}`);
    const text = answerText();
    for (const socket of inFlight.shift()!) socket.write(text, 'latin1');
  }
});
redis.write(resp('SCRIPT', 'LOAD', SCRIPT));

function listen(): void {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        pending = pending.slice(end + 4);
        waiting.push(socket);
        lines += `${lines === '' ? '' : '\n'}${(visits += 1)}${LINE_REST}`;
      }
      if (!scheduled && waiting.length > 0) {
        scheduled = true;
        setImmediate(commit);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(`redirect floor on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  process.once('SIGTERM', () => {
    server.close();
    redis.end();
    process.exit(0);
  });
}

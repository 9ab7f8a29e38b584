// npm run bench:jobs — delayed jobs scheduled and fired per second through Strata's job port (BullMQ
// adapter) beside raw BullMQ with the same options, same Redis, same run, rounds alternating.
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { stackEndpoints } from '@strata/dev-stack';
import { newId, z } from '@strata/shared-kernel';
import { median } from '../shared/median.ts';
import { startPort, startRawBullMq, type FiredListener, type JobPeer, type PeerSetup } from './job-peers.ts';

const ROUND_TIMEOUT_MS = 120_000;

const options = z
  .object({
    jobs: z.coerce.number().int().min(100).max(1_000_000),
    delay: z.coerce.number().int().min(0).max(60_000),
    concurrency: z.coerce.number().int().min(1).max(1_024),
    inFlight: z.coerce.number().int().min(1).max(1_024),
    rounds: z.coerce.number().int().min(1).max(20),
  })
  .parse(
    parseArgs({
      options: {
        jobs: { type: 'string', default: '3000' },
        delay: { type: 'string', default: '200' },
        concurrency: { type: 'string', default: '16' },
        inFlight: { type: 'string', default: '32' },
        rounds: { type: 'string', default: '6' },
      },
    }).values,
  );

const PEERS: { name: string; start: (setup: PeerSetup, fired: FiredListener) => Promise<JobPeer> }[] = [
  { name: 'strata job port (BullMQ adapter)', start: startPort },
  { name: 'raw BullMQ (same options)', start: startRawBullMq },
];

interface Round {
  scheduledPerSecond: number;
  firedPerSecond: number;
  endToEndPerSecond: number;
}

const { redisUrl } = stackEndpoints();
const prefix = `strata-bench-jobs-${newId().slice(-12)}`;

/** Schedules `jobs` delayed jobs with `inFlight` calls outstanding and waits until each fired once. */
async function measure(peerIndex: number, round: number): Promise<Round> {
  const ids = Array.from(
    { length: options.jobs },
    (_, index) => `expiry.r${round + 1}.${peerIndex}.${index}`,
  );
  const fired = new Map<string, number>();
  let firstFired = 0;
  let lastFired = 0;
  let allFired!: () => void;
  const done = new Promise<void>((resolve) => (allFired = resolve));
  const onFired = (id: string) => {
    const count = (fired.get(id) ?? 0) + 1;
    if (count > 1) throw new Error(`job ${id} fired twice`);
    fired.set(id, count);
    lastFired = performance.now();
    firstFired ||= lastFired;
    if (fired.size === ids.length) allFired();
  };
  const peer = await PEERS[peerIndex]!.start(
    { redisUrl, prefix, queue: `orders-r${round + 1}-${peerIndex}`, concurrency: options.concurrency },
    onFired,
  );
  try {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.inFlight }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          await peer.schedule(id, { orderId: id, deadline: Date.now() + options.delay }, options.delay);
        }
      }),
    );
    const scheduled = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`round stuck: ${fired.size}/${ids.length} fired`)),
        ROUND_TIMEOUT_MS,
      );
    });
    await Promise.race([done, stuck]).finally(() => clearTimeout(timer));
    return {
      scheduledPerSecond: ids.length / ((scheduled - started) / 1_000),
      firedPerSecond: ids.length / ((lastFired - firstFired) / 1_000),
      endToEndPerSecond: ids.length / ((lastFired - started) / 1_000),
    };
  } finally {
    await peer.close();
  }
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

const rounds: Round[][] = PEERS.map(() => []);
try {
  // An unmeasured round first: connections, Lua script loading and JIT warm-up charge neither peer.
  for (const peerIndex of [0, 1]) await measure(peerIndex, -1);
  for (let round = 0; round < options.rounds; round += 1) {
    // Alternate who goes first, so a burst of someone else's load does not always hit the same peer.
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const peerIndex of order) rounds[peerIndex]!.push(await measure(peerIndex, round));
  }
} finally {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

const summary = rounds.map((peerRounds) => ({
  scheduled: median(peerRounds.map((round) => round.scheduledPerSecond)),
  fired: median(peerRounds.map((round) => round.firedPerSecond)),
  endToEnd: median(peerRounds.map((round) => round.endToEndPerSecond)),
  slowest: Math.min(...peerRounds.map((round) => round.endToEndPerSecond)),
  fastest: Math.max(...peerRounds.map((round) => round.endToEndPerSecond)),
}));
const raw = summary[1]!;
const header = [
  'peer',
  'scheduled/s',
  'fired/s',
  'jobs/s end to end',
  'range over rounds',
  'scheduled ÷ raw',
  'end to end ÷ raw',
];
const rows = summary.map((peer, index) => [
  PEERS[index]!.name,
  count(peer.scheduled),
  count(peer.fired),
  count(peer.endToEnd),
  `${count(peer.slowest)}–${count(peer.fastest)}`,
  `${(peer.scheduled / raw.scheduled).toFixed(2)}×`,
  `${(peer.endToEnd / raw.endToEnd).toFixed(2)}×`,
]);
const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
const line = (cells: string[]) =>
  cells
    .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
    .join('  ');
console.log(
  `${options.jobs} delayed jobs (${options.delay} ms) per round, ${options.inFlight} schedule calls in flight, ` +
    `worker concurrency ${options.concurrency}, ${options.rounds} rounds after a warm-up (median), Redis ${redisUrl}`,
);
console.log([line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n'));
// Each round runs the two peers back to back, so they share that moment's load: the median of the
// per-round ratios is steadier on a shared machine than the ratio of the medians.
const pairedRatio = median(
  rounds[0]!.map((round, index) => round.endToEndPerSecond / rounds[1]![index]!.endToEndPerSecond),
);
console.log(
  `port ÷ raw BullMQ end to end, median of per-round ratios: ${pairedRatio.toFixed(2)}× ` +
    `(budget: the port costs under 10%, i.e. ≥ 0.90×; above 1× is noise, the port does more work, not less)`,
);
process.exit(0);

import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { pack } from 'msgpackr';
import { z } from '@strata/shared-kernel';
import { measure, type LoadShape } from './measure.ts';
import { makeCourseDraft, makeInvalidCourseDraft } from './payload.ts';
import type { Peer, PeerClient, RunningServer } from './peer.ts';
import { barePeer } from './peers/bare.ts';
import { grpcPeer } from './peers/grpc.ts';
import { moleculerPeer } from './peers/moleculer.ts';
import { nestPeer } from './peers/nest.ts';


import { formatTable, type PeerOutcome } from './report-table.ts';

/** Run order; the first is the baseline every ratio is taken against. */
const PEERS: Peer[] = [grpcPeer, moleculerPeer, nestPeer, barePeer];
const BASELINE = 'strata';
/** A peer that has not finished in this long is stuck, not slow. */
const PEER_TIMEOUT_MS = 180_000;

const optionsSchema = z.object({
  concurrency: z.coerce.number().int().min(1).max(1024),
  warmup: z.coerce.number().int().min(0).max(1_000_000),
  calls: z.coerce.number().int().min(100).max(1_000_000),
  peers: z.string().optional(),
});

function readOptions(): LoadShape & { peers: Peer[] } {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '3000' },
      calls: { type: 'string', default: '20000' },
      peers: { type: 'string' },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`bad options\n${problems.join('\n')}`);
  }
  const { peers: only, ...shape } = parsed.data;
  if (only === undefined) return { ...shape, peers: PEERS };
  const wanted = new Set(only.split(',').map((id) => id.trim()));
  const unknown = [...wanted].filter((id) => !PEERS.some((peer) => peer.id === id));
  if (unknown.length > 0) {
    throw new Error(`--peers: unknown ${unknown.join(', ')}; choose from ${PEERS.map((peer) => peer.id).join(', ')}`);
  }
  const peers = PEERS.filter((peer) => wanted.has(peer.id));
  return { ...shape, peers };
}

async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${PEER_TIMEOUT_MS / 1000} s`)), PEER_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A row is only comparable if its server really validates, so an invalid draft must be refused. */
async function expectRefusal(client: PeerClient): Promise<void> {
  const answer = await client.call(makeInvalidCourseDraft()).then(
    (value) => ({ refused: false, value }),
    () => ({ refused: true, value: undefined }),
  );
  if (!answer.refused) {
    throw new Error(`the server accepted an invalid draft and answered ${JSON.stringify(answer.value)?.slice(0, 200)}`);
  }
}

async function runPeer(peer: Peer, shape: LoadShape): Promise<PeerOutcome> {
  const payload = makeCourseDraft();
  let server: RunningServer | undefined;
  try {
    server = await peer.startServer();
    const client = await peer.createClient(server.port);
    try {
      if (peer.validatesInput) await expectRefusal(client);
      const measurement = await withTimeout(measure(client, payload, shape), peer.name);
      return { name: peer.name, features: peer.features, ok: true, measurement };
    } finally {
      await client.close();
    }
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { name: peer.name, features: peer.features, ok: false, error: message };
  } finally {
    await server?.stop();
  }
}

const options = readOptions();
const payload = makeCourseDraft();
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log('Strata RPC bench: unary calls on loopback, client (this process) and server (child process) apart');
console.log(
  `node ${process.version} · ${availableParallelism()} cores (${cpu}) · concurrency ${options.concurrency} · ` +
    `warm-up ${options.warmup} calls · measured ${options.calls} calls per peer · ` +
    `payload ${pack(payload).length} B msgpack / ${Buffer.byteLength(JSON.stringify(payload))} B JSON each way`,
);
console.log('This machine is shared and noisy: absolute numbers drift from run to run. Read the ratios.\n');

const outcomes: PeerOutcome[] = [];
for (const peer of options.peers) {
  process.stdout.write(`running ${peer.name} … `);
  const outcome = await runPeer(peer, options);
  console.log(outcome.ok ? 'done' : 'FAILED');
  outcomes.push(outcome);
}

console.log(`\n${formatTable(outcomes, BASELINE)}\n`);
console.log(`Ratios are against "${BASELINE}": calls/s above 1× is faster than Strata, p99 above 1× is a slower tail.`);
for (const outcome of outcomes) console.log(`- ${outcome.name}: ${outcome.features}`);

const failures = outcomes.filter((outcome) => !outcome.ok);
for (const failure of failures) console.error(`\n${failure.name} failed:\n${failure.error}`);
process.exitCode = failures.length > 0 ? 1 : 0;

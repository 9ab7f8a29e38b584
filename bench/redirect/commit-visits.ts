// The serving thread's group commits alone: COMMIT_ROUNDS (20,000) commits of 12 visits each (the
// bench's commit size) through the visit ledger COMMIT_LEDGER names, `ioredis` (RedisVisitLedger,
// as the serving thread opened it before ADR 0080) or `resp` (RespVisitLedger), one after the
// other as the serving thread sends them. Prints the process's CPU (user + system, every thread)
// per commit and per visit. Its keys are removed at the end.
import { randomBytes } from 'node:crypto';
import { stackEndpoints } from '@strata/dev-stack';
import { Redis } from 'ioredis';
import { visitJsonOf } from '../../data-services/engagement-service/src/links/redirect/queued-visit.ts';
import { RedisVisitLedger } from '../../data-services/engagement-service/src/links/redirect/redis-visit-ledger.ts';
import { respEndpointOf } from '../../data-services/engagement-service/src/links/redirect/resp-endpoint.ts';
import { RespVisitLedger } from '../../data-services/engagement-service/src/links/redirect/resp-visit-ledger.ts';
import { newVisitId } from '../../data-services/engagement-service/src/links/redirect/visit-id.ts';
import type { VisitLedger } from '../../data-services/engagement-service/src/links/redirect/visit-ledger.ts';

const rounds = Number(process.env.COMMIT_ROUNDS ?? 20_000);
const kind = process.env.COMMIT_LEDGER ?? 'resp';
const PER_COMMIT = 12;
const { redisUrl } = stackEndpoints();
const prefix = `strata-bench:commit${randomBytes(5).toString('hex')}:`;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });

async function ledgerOf(): Promise<VisitLedger> {
  if (kind === 'ioredis') return RedisVisitLedger.open(redis, undefined, prefix, 'commit');
  const endpoint = respEndpointOf(redisUrl);
  if ('refused' in endpoint) throw new Error(endpoint.refused);
  if (kind === 'resp') return RespVisitLedger.open(endpoint, prefix);
  throw new Error(`COMMIT_LEDGER=${kind}: ioredis or resp`);
}

const ledger = await ledgerOf();
const link = { linkId: newVisitId(), version: 1, slug: 'abcdefg', maxVisits: null };
const visits = Array.from({ length: PER_COMMIT }, () =>
  visitJsonOf({
    visitId: newVisitId(),
    visitedAt: new Date().toISOString(),
    referrerHost: 'news.example.com',
    userAgentFamily: 'chrome',
    bot: false,
    visitorHash: randomBytes(32).toString('hex'),
  }),
);

/** One commit: the burst's visits in one turn, settled together. */
const commit = () =>
  new Promise<void>((resolve, reject) => {
    let left = PER_COMMIT;
    for (const visit of visits)
      ledger.record(link, visit, (error) => {
        if (error !== null) reject(error);
        else if ((left -= 1) === 0) resolve();
      });
  });

for (let round = 0; round < 2_000; round += 1) await commit(); // warm-up
const started = process.hrtime.bigint();
const before = process.cpuUsage();
for (let round = 0; round < rounds; round += 1) await commit();
const cpu = process.cpuUsage(before);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const perCommit = (cpu.user + cpu.system) / rounds;
console.log(
  `${kind}: ${rounds} commits of ${PER_COMMIT} in ${wallMs.toFixed(0)} ms; CPU ${perCommit.toFixed(1)} µs a commit ` +
    `(${(cpu.user / rounds).toFixed(1)} user + ${(cpu.system / rounds).toFixed(1)} system), ${(perCommit / PER_COMMIT).toFixed(2)} µs a visit`,
);
await ledger.close();
let cursor = '0';
do {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
  cursor = next;
  if (keys.length > 0) await redis.unlink(...keys);
} while (cursor !== '0');
redis.disconnect();

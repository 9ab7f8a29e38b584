import { envelopeToMessage, topicFor, type BrokerMessage, type EventEnvelope } from '@strata/events';
import type { Database, DatabaseMapping } from '@strata/persistence';
import { aggregate, defineContract, event, newId, z } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import type { HostedContext } from '../../src/data-service/index.ts';

/*
 * Two contexts made up for the runners' tests: `bulletin` publishes NoticePosted, `reader` (hosted
 * by the data service under test) keeps what it read and defines one job. Infra knows no real
 * context, so the test brings its own.
 */

export const bulletinContract = defineContract({
  context: 'bulletin',
  aggregates: {
    Notice: aggregate({
      id: z.string(),
      view: z.object({ id: z.string() }),
      events: { NoticePosted: event({ version: 1, payload: z.object({ text: z.string() }) }) },
    }),
  },
});

const readerContract = defineContract({ context: 'reader', aggregates: {} });

export const REMEMBER_JOB = 'reader.remember';

/** What the reader saw: each notice handled, each job run. */
export interface ReaderLog {
  readonly notices: string[];
  readonly jobs: string[];
}

export const readerMapping: DatabaseMapping = { entities: [], migrations: [] };

export function noticeReader(log: ReaderLog): HostedContext {
  return {
    contract: readerContract,
    aggregates: {},
    serve: ({ jobs }) => {
      jobs.define(REMEMBER_JOB, {
        payload: z.object({ text: z.string() }),
        handle: async ({ text }) => void log.jobs.push(text),
      });
      return async (request) => ({
        ok: false,
        error: { code: 'UNIMPLEMENTED', message: `reader serves no ${request.method}` },
      });
    },
    subscribe: () => ({
      from: [bulletinContract],
      handlers: {
        NoticePosted: async (envelope) => void log.notices.push((envelope.payload as { text: string }).text),
      },
    }),
  };
}

/** A NoticePosted as bulletin's relay would publish it, on the namespace's topic. */
export function noticePosted(text: string, namespace?: string): BrokerMessage {
  const envelope: EventEnvelope = {
    id: newId(),
    type: 'NoticePosted',
    schemaVersion: 1,
    aggregateType: 'Notice',
    aggregateId: newId(),
    aggregateVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: newId(),
    causationId: null,
    traceparent: null,
    tracestate: null,
    payload: { text },
  };
  return envelopeToMessage(topicFor('bulletin', namespace), envelope);
}

/** Waits until `condition` holds; a bound on a hung run, not a speed check. */
export async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  await waitFor(what, condition, { timeoutMs: 20_000 });
}

/** An idempotency key that expired long ago: housekeeping's to purge. */
export async function spendIdempotencyKey(database: Database): Promise<void> {
  await database
    .em()
    .execute(
      'insert into idempotency_keys (caller, idempotency_key, method, result, created_at, expires_at) values (?, ?, ?, ?, ?, ?)',
      ['test', 'spent', 'Notice.post', Buffer.from('{}'), 1, 2],
    );
}

/** Waits until housekeeping has run and purged the key `spendIdempotencyKey` left. */
export function housekeepingRan(database: Database): Promise<void> {
  return until('housekeeping purged the spent key', async () => {
    const [row] = await database
      .em()
      .execute<{ n: number }[]>("select count(*) as n from idempotency_keys where caller = 'test'");
    return Number(row!.n) === 0;
  });
}

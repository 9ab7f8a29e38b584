import type { Database } from './open-database.ts';

export interface HousekeepingOptions {
  /** Sent outbox rows and inbox rows older than this are deleted (keep it longer than any redelivery). */
  retainHandledMs: number;
  now?: () => number;
}

/**
 * Deletes what has served its purpose: expired idempotency keys, outbox rows the broker acknowledged
 * and inbox rows past retention. Run it periodically on one instance (or all: it is idempotent).
 */
export async function deleteExpiredRows(
  database: Database,
  options: HousekeepingOptions,
): Promise<{ idempotencyKeys: number; outbox: number; inbox: number }> {
  const now = (options.now ?? Date.now)();
  const em = database.em();
  const run = async (sql: string, params: unknown[]) =>
    (await em.execute<{ affectedRows: number }>(sql, params, 'run')).affectedRows;
  return {
    idempotencyKeys: await run('delete from idempotency_keys where expires_at <= ?', [now]),
    outbox: await run('delete from outbox where sent_at is not null and sent_at <= ?', [
      now - options.retainHandledMs,
    ]),
    inbox: await run('delete from inbox where handled_at <= ?', [now - options.retainHandledMs]),
  };
}

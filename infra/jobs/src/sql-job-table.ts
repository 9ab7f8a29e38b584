import type { Database } from '@strata/persistence';

/** A job row as the poller needs it once claimed. */
export interface ClaimedJobRow {
  id: string;
  name: string;
  payload: string;
  attempts: number;
  maxAttempts: number;
  backoffMs: number;
  repeatEveryMs: number | null;
  repeatCron: string | null;
}

export interface NewJobRow {
  id: string;
  name: string;
  payload: string;
  runAt: number;
  maxAttempts: number;
  backoffMs: number;
  repeatEveryMs: number | null;
  repeatCron: string | null;
}

const columns =
  'id, name, payload, run_at, status, attempts, max_attempts, backoff_ms, repeat_every_ms, repeat_cron, updated_at';
// Not running: never claimed, or its claimant's lease ran out (it crashed or hung).
const free = '(lease_until is null or lease_until <= ?)';

/**
 * The statements on `strata_jobs` (created by the platform migrations), the same SQL for MariaDB
 * and SQLite but for the upserts. Each is one autocommitted statement; claims are conditional
 * UPDATEs, so two pollers on one database never both own a job.
 */
export class SqlJobTable {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Adds the job unless its id is there already (deduplication). */
  async insert(row: NewJobRow, now: number): Promise<void> {
    const conflict =
      this.#database.dialect === 'mysql' ? 'on duplicate key update id = id' : 'on conflict (id) do nothing';
    await this.#run(
      `insert into strata_jobs (${columns}) values (?, ?, ?, ?, 'scheduled', 0, ?, ?, ?, ?, ?) ${conflict}`,
      [...this.#values(row), now],
    );
  }

  /** Creates a recurring job or updates what it runs; a pending next run keeps its time. */
  async upsertRecurring(row: NewJobRow, now: number): Promise<void> {
    const take = ['name', 'payload', 'max_attempts', 'backoff_ms', 'repeat_every_ms', 'repeat_cron'];
    const update =
      this.#database.dialect === 'mysql'
        ? `on duplicate key update ${take.map((column) => `${column} = values(${column})`).join(', ')}`
        : `on conflict (id) do update set ${take.map((column) => `${column} = excluded.${column}`).join(', ')}`;
    await this.#run(
      `insert into strata_jobs (${columns}) values (?, ?, ?, ?, 'scheduled', 0, ?, ?, ?, ?, ?) ${update}`,
      [...this.#values(row), now],
    );
  }

  async dueIds(now: number, limit: number): Promise<string[]> {
    const rows = await this.#database
      .em()
      .execute<{ id: string }[]>(
        `select id from strata_jobs where status = 'scheduled' and run_at <= ? and ${free} order by run_at limit ?`,
        [now, now, limit],
      );
    return rows.map((row) => row.id);
  }

  /** Takes the job for `leaseMs` if it is still due and free; undefined when another poller won. */
  async claim(id: string, claim: string, now: number, leaseMs: number): Promise<ClaimedJobRow | undefined> {
    const taken = await this.#run(
      `update strata_jobs set claim = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
        where id = ? and status = 'scheduled' and run_at <= ? and ${free}`,
      [claim, now + leaseMs, now, id, now, now],
    );
    if (taken !== 1) return undefined;
    const [row] = await this.#database.em().execute<Record<string, unknown>[]>(
      `select id, name, payload, attempts, max_attempts, backoff_ms, repeat_every_ms, repeat_cron
         from strata_jobs where id = ? and claim = ?`,
      [id, claim],
    );
    if (row === undefined) return undefined;
    return {
      id: String(row.id),
      name: String(row.name),
      payload: String(row.payload),
      attempts: Number(row.attempts),
      maxAttempts: Number(row.max_attempts),
      backoffMs: Number(row.backoff_ms),
      repeatEveryMs: row.repeat_every_ms === null ? null : Number(row.repeat_every_ms),
      repeatCron: row.repeat_cron === null ? null : String(row.repeat_cron),
    };
  }

  /** A one-off job is done: its row goes. */
  async remove(id: string, claim: string): Promise<void> {
    await this.#run('delete from strata_jobs where id = ? and claim = ?', [id, claim]);
  }

  /** Sets the job's next run (a retry, or a recurring job's next slot) and frees it. */
  async reschedule(
    id: string,
    claim: string,
    runAt: number,
    now: number,
    outcome: RunOutcome,
  ): Promise<void> {
    const attempts = outcome.kind === 'done' ? '0' : 'attempts';
    await this.#run(
      `update strata_jobs set run_at = ?, attempts = ${attempts}, claim = null, lease_until = null,
         last_error = ?, updated_at = ? where id = ? and claim = ?`,
      [runAt, outcome.kind === 'done' ? null : outcome.error, now, id, claim],
    );
  }

  async fail(id: string, claim: string, error: string, now: number): Promise<void> {
    await this.#run(
      `update strata_jobs set status = 'failed', claim = null, lease_until = null, last_error = ?, updated_at = ?
        where id = ? and claim = ?`,
      [error, now, id, claim],
    );
  }

  /** Records a failed run of a recurring job as a failed row of its own; the recurring job goes on. */
  async recordFailure(row: NewJobRow, attempts: number, error: string, now: number): Promise<void> {
    await this.#run(
      `insert into strata_jobs (${columns}, last_error) values (?, ?, ?, ?, 'failed', ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.name,
        row.payload,
        row.runAt,
        attempts,
        row.maxAttempts,
        row.backoffMs,
        null,
        null,
        now,
        error,
      ],
    );
  }

  /** Keeps the newest `keep` failed jobs. */
  async trimFailures(keep: number): Promise<void> {
    const [cutoff] = await this.#database
      .em()
      .execute<{ updated_at: number }[]>(
        `select updated_at from strata_jobs where status = 'failed' order by updated_at desc limit 1 offset ?`,
        [keep],
      );
    if (cutoff === undefined) return;
    await this.#run(`delete from strata_jobs where status = 'failed' and updated_at <= ?`, [
      Number(cutoff.updated_at),
    ]);
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return (await this.#run(`delete from strata_jobs where id = ? and ${free}`, [id, now])) === 1;
  }

  async counts(now: number): Promise<{ waiting: number; delayed: number; active: number; failed: number }> {
    const [row] = await this.#database.em().execute<Record<string, unknown>[]>(
      `select
         sum(case when status = 'scheduled' and run_at <= ? and ${free} then 1 else 0 end) as waiting_count,
         sum(case when status = 'scheduled' and run_at > ? and ${free} then 1 else 0 end) as delayed_count,
         sum(case when status = 'scheduled' and lease_until > ? then 1 else 0 end) as active_count,
         sum(case when status = 'failed' then 1 else 0 end) as failed_count
       from strata_jobs`,
      [now, now, now, now, now],
    );
    return {
      waiting: Number(row?.waiting_count ?? 0),
      delayed: Number(row?.delayed_count ?? 0),
      active: Number(row?.active_count ?? 0),
      failed: Number(row?.failed_count ?? 0),
    };
  }

  async failures(limit: number) {
    const rows = await this.#database.em().execute<Record<string, unknown>[]>(
      `select id, name, attempts, last_error, updated_at from strata_jobs
        where status = 'failed' order by updated_at desc limit ?`,
      [limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      name: String(row.name),
      attempts: Number(row.attempts),
      error: String(row.last_error ?? ''),
      failedAt: new Date(Number(row.updated_at)),
    }));
  }

  #values(row: NewJobRow): unknown[] {
    return [
      row.id,
      row.name,
      row.payload,
      row.runAt,
      row.maxAttempts,
      row.backoffMs,
      row.repeatEveryMs,
      row.repeatCron,
    ];
  }

  async #run(sql: string, params: unknown[]): Promise<number> {
    return (await this.#database.em().execute<{ affectedRows: number }>(sql, params, 'run')).affectedRows;
  }
}

export type RunOutcome = { kind: 'done' } | { kind: 'retry'; error: string };

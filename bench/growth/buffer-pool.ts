// MariaDB's InnoDB buffer pool as the catalog rows see it (issue 21): how many of the pages a row
// asked for had to come from disk. The dev stack's server runs with O_DIRECT, so a page not in the
// pool is a read from the disk, not from the kernel's page cache.
import type { Connection } from 'mysql2/promise';

export interface PoolCounters {
  /** Innodb_buffer_pool_reads: pages InnoDB had to read from disk (not in the pool). */
  readonly reads: number;
  /** Innodb_buffer_pool_read_requests: pages asked of the pool, found or not. */
  readonly readRequests: number;
}

/** Server-wide counters: any other client's reads over the same seconds count too. */
export async function poolCounters(connection: Connection): Promise<PoolCounters> {
  const [rows] = await connection.query(
    "show global status where Variable_name in ('Innodb_buffer_pool_reads', 'Innodb_buffer_pool_read_requests')",
  );
  const value = (name: string) =>
    Number(
      (rows as { Variable_name: string; Value: string }[]).find((row) => row.Variable_name === name)?.Value,
    );
  const counters = {
    reads: value('Innodb_buffer_pool_reads'),
    readRequests: value('Innodb_buffer_pool_read_requests'),
  };
  if (!Number.isFinite(counters.reads) || !Number.isFinite(counters.readRequests))
    throw new Error(`MariaDB did not report its buffer pool counters: ${JSON.stringify(rows)}`);
  return counters;
}

export const poolDelta = (before: PoolCounters, after: PoolCounters): PoolCounters => ({
  reads: after.reads - before.reads,
  readRequests: after.readRequests - before.readRequests,
});

export const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

export async function poolSize(connection: Connection): Promise<number> {
  const [rows] = await connection.query('select @@global.innodb_buffer_pool_size as size');
  return Number((rows as { size: number | string }[])[0]!.size);
}

// What MariaDB does for the catalog's statements at each size of bench:growth (issue 21): the plan,
// rows and time of each, the pages it asked of the buffer pool and read from disk, and where a page
// at a random depth's disk reads go.
import type { Connection } from 'mysql2/promise';
import { thousands } from '../read/measure.ts';
import { poolCounters, poolDelta } from './buffer-pool.ts';

/** SEARCH_WINDOW of data-services/commerce-service/src/catalog/sql-catalog-queries.ts (ADR 0035), for the plans printed. */
const SEARCH_WINDOW = 5_000;

/** What MariaDB does for the statements MikroORM sends (data-services/commerce-service/src/catalog/sql-catalog-queries.ts). */
export async function explainQueries(
  connection: Connection,
  database: string,
  size: string,
  published: readonly string[],
): Promise<void> {
  const [edges] = await connection.query(
    `select id from \`${database}\`.courses where status = 'published' order by id limit 1 offset ?`,
    [SEARCH_WINDOW - 1],
  );
  const edge = (edges as { id: string }[])[0]?.id ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  const statements: [string, string, unknown[]][] = [
    [
      'list',
      "select `c0`.* from `courses` as `c0` where `c0`.`status` = 'published' order by `c0`.`id` asc limit 21",
      [],
    ],
    [
      'list, a page at a random depth',
      "select `c0`.* from `courses` as `c0` where `c0`.`status` = 'published' and `c0`.`id` > ? order by `c0`.`id` asc limit 21",
      [published[Math.floor(Math.random() * published.length)]],
    ],
    [
      'search, unbounded (before ADR 0035)',
      "select `c0`.* from `courses` as `c0` where `c0`.`status` = 'published' and (`c0`.`title` like ? or `c0`.`description` like ?) order by `c0`.`id` asc limit 21",
      ['%no such words%', '%no such words%'],
    ],
    [
      'search, window edge (ADR 0035)',
      "select `c0`.`id` from `courses` as `c0` where `c0`.`status` = 'published' order by `c0`.`id` asc limit 1 offset ?",
      [SEARCH_WINDOW - 1],
    ],
    [
      'search, in the window (ADR 0035)',
      "select `c0`.* from `courses` as `c0` where `c0`.`status` = 'published' and (`c0`.`title` like ? or `c0`.`description` like ?) and `c0`.`id` <= ? order by `c0`.`id` asc limit 21",
      ['%no such words%', '%no such words%', edge],
    ],
  ];
  for (const [name, sql, values] of statements) {
    const before = await poolCounters(connection);
    const [plan] = await connection.query(
      `analyze format=json ${sql.replaceAll('`courses`', `\`${database}\`.\`courses\``)}`,
      values,
    );
    const { reads } = poolDelta(before, await poolCounters(connection));
    const json = JSON.parse((plan as Record<string, string>[])[0]!['ANALYZE']!) as {
      query_block: { r_total_time_ms?: number; table?: PlannedTable };
    };
    const table = json.query_block.table ?? findTable(json.query_block);
    const pages = table?.r_engine_stats;
    console.log(
      `  plan at ${size}, ${name}${name.startsWith('search, un') || name.startsWith('search, in') ? ', a text no course has' : ''}: ${table?.access_type ?? '?'} on ${table?.key ?? 'no index'}, ` +
        `${thousands(table?.r_rows ?? 0)} rows read, ${(json.query_block.r_total_time_ms ?? 0).toFixed(1)} ms; ` +
        `pages: ${thousands(pages?.pages_accessed ?? 0)} asked of the pool and ${thousands(pages?.pages_read_count ?? 0)} read from disk ` +
        `(${(pages?.pages_read_time_ms ?? 0).toFixed(1)} ms) by the table's own count, ${thousands(reads)} disk reads server-wide over the statement`,
    );
  }
  await depthProbe(connection, database, size, published);
}

/**
 * Where a page at a random depth's disk reads go: EXPLAIN plans a statement without executing it,
 * so what it reads from disk is the optimizer's doing (InnoDB's row estimate for the range), and what
 * the same statement reads when run right after is its execution's.
 */
async function depthProbe(
  connection: Connection,
  database: string,
  size: string,
  published: readonly string[],
): Promise<void> {
  const depths = 20;
  const sql = `select * from \`${database}\`.courses where status = 'published' and id > ? order by id limit 21`;
  let planning = 0;
  let executing = 0;
  for (let probe = 0; probe < depths; probe += 1) {
    const values = [published[Math.floor(Math.random() * published.length)]];
    const before = await poolCounters(connection);
    await connection.query(`explain ${sql}`, values);
    const planned = await poolCounters(connection);
    await connection.query(sql, values);
    planning += poolDelta(before, planned).reads;
    executing += poolDelta(planned, await poolCounters(connection)).reads;
  }
  console.log(
    `  ${depths} pages at fresh random depths at ${size}, disk reads a page (server-wide): ` +
      `${(planning / depths).toFixed(1)} planning it (EXPLAIN), ${(executing / depths).toFixed(1)} then running it`,
  );
}

interface PlannedTable {
  key?: string;
  r_rows?: number;
  access_type?: string;
  /** MariaDB ≥ 10.11.5: the pages this table's handler touched, by its own count. */
  r_engine_stats?: { pages_accessed?: number; pages_read_count?: number; pages_read_time_ms?: number };
}

function findTable(block: unknown): PlannedTable | undefined {
  if (block === null || typeof block !== 'object') return undefined;
  if ('table' in block) return (block as { table: never }).table;
  for (const value of Object.values(block)) {
    const found = findTable(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

// Grows commerce-service's `courses` table to a size fast enough that a million rows take minutes,
// not hours: rows in the shape bench/read/course-rows.ts writes (the shape course-record.ts maps),
// in multi-row INSERTs of 5,000, each batch's ids sorted and the next batch built while the last
// one is written. Sorted ids append to the clustered index instead of splitting pages at random,
// which is what makes the seed fast once the table outgrows MariaDB's buffer pool.
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { courseRow } from '../read/course-rows.ts';

const BATCH = 5_000;

export interface Seeded {
  /** Published course ids, in insertion order (every tenth course is a draft). */
  readonly published: string[];
  readonly seconds: number;
}

/** Adds courses numbered `from` … `to − 1`, printing progress every `progressEvery` rows. */
export async function seedCourses(
  connection: Connection,
  database: string,
  from: number,
  to: number,
  progressEvery = 100_000,
): Promise<Seeded> {
  const started = performance.now();
  const published: string[] = [];
  const now = new Date();
  const ids = Array.from({ length: to - from }, () => randomUUID()).sort();
  const batchOf = (start: number): unknown[][] => {
    const rows: unknown[][] = [];
    for (let n = start; n < Math.min(start + BATCH, to); n += 1) {
      const id = ids[n - from]!;
      const isPublished = n % 10 !== 9;
      if (isPublished) published.push(id);
      rows.push(courseRow(id, n, isPublished, now));
    }
    return rows;
  };
  const insert = (rows: unknown[][]) =>
    connection.query(
      `insert into \`${database}\`.courses (id, instructor_id, title, description, status, lessons, price_amount,
        price_currency, drafted_at, published_at, first_published_at, version) values ?`,
      [rows],
    );
  let next = batchOf(from);
  for (let start = from; start < to; start += BATCH) {
    const writing = insert(next);
    // Built while MariaDB writes the previous batch: the two cores work on both at once.
    next = start + BATCH < to ? batchOf(start + BATCH) : [];
    await writing;
    const done = Math.min(start + BATCH, to);
    if (Math.floor(done / progressEvery) > Math.floor(start / progressEvery) || done === to) {
      const elapsed = (performance.now() - started) / 1000;
      console.log(
        `  seeded ${done.toLocaleString('en-US')} courses (${elapsed.toFixed(0)} s, ${Math.round((done - from) / elapsed).toLocaleString('en-US')} rows/s)`,
      );
    }
  }
  return { published, seconds: (performance.now() - started) / 1000 };
}

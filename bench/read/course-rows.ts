// Published courses written straight into commerce-service's `courses` table, in the shape its
// mapping writes (data-services/commerce-service/src/catalog/course-record.ts): the reads measured
// here do not care how a row got there, and a million courses through the contract's six calls
// each would take hours. The first row the bench reads back through commerce-service proves the
// shape (Course.restore and the contract's output schema would refuse a wrong one).
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';

const WORDS = [
  'domain',
  'driven',
  'design',
  'typescript',
  'event',
  'sourcing',
  'kafka',
  'node',
  'testing',
  'patterns',
  'architecture',
  'services',
  'distributed',
  'systems',
  'databases',
  'queries',
  'caching',
  'security',
  'react',
  'algorithms',
  'compilers',
  'networks',
  'linux',
  'python',
  'statistics',
  'music',
  'drawing',
  'cooking',
  'finance',
  'writing',
];
const INSTRUCTORS = Array.from({ length: 50 }, () => randomUUID());
const BATCH = 2_000;

/** Deterministic in `n`: the nth course's title, three of the words above and its number. */
export function courseTitle(n: number): string {
  const pick = (k: number) => WORDS[(n * 7 + k * 13 + Math.floor(n / 30) * k) % WORDS.length]!;
  return `${pick(1)} ${pick(2)} ${pick(3)} ${n}`;
}

/**
 * Inserts `count` courses numbered from `from`, every tenth a draft (so the finder's status filter
 * has something to skip), with multi-row INSERTs of 2,000 rows. Returns the published ids.
 */
/** Course `n` as a row of commerce-service's `courses` table, in the column order of the inserts. */
export function courseRow(id: string, n: number, isPublished: boolean, now: unknown): unknown[] {
  const lessons = [1, 2, 3].map((k) => ({ id: randomUUID(), title: `Lesson ${k} of course ${n}` }));
  return [
    id,
    INSTRUCTORS[n % INSTRUCTORS.length],
    courseTitle(n),
    `A course about ${courseTitle(n)}: what it is, how it is done and why, with exercises.`,
    isPublished ? 'published' : 'draft',
    JSON.stringify(lessons),
    1_000 + (n % 90) * 100,
    'EUR',
    now,
    isPublished ? now : null,
    isPublished ? now : null,
    isPublished ? 5 : 4,
  ];
}

export async function insertCourses(
  connection: Connection,
  database: string,
  from: number,
  count: number,
): Promise<string[]> {
  const published: string[] = [];
  const now = new Date();
  for (let start = from; start < from + count; start += BATCH) {
    const values: unknown[] = [];
    const end = Math.min(start + BATCH, from + count);
    for (let n = start; n < end; n += 1) {
      const id = randomUUID();
      const isPublished = n % 10 !== 9;
      if (isPublished) published.push(id);
      values.push(courseRow(id, n, isPublished, now));
    }
    await connection.query(
      `insert into \`${database}\`.courses (id, instructor_id, title, description, status, lessons, price_amount,
        price_currency, drafted_at, published_at, first_published_at, version) values ?`,
      [values],
    );
  }
  return published;
}

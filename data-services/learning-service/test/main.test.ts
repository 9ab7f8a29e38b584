import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { learningContract } from '@strata/learning/contract';
import { learningMapping } from '@strata/learning-service';
import { openDatabase } from '@strata/persistence';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { behavesAsADataServiceMain } from '@strata/runtime/test-support';

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('learning-service main.ts in distributed mode', () => {
  const service = uniqueService('learning_main');
  const prefix = `/strata-test/${service}`;

  afterAll(async () => {
    await dropDatabase(service);
  });

  it('applies its migrations with the migrate command, and finds nothing left to do the second time', async () => {
    const run = () =>
      promisify(execFile)(process.execPath, [main, 'migrate'], {
        env: { ...process.env, STRATA_DATABASE_SERVICE: service },
      });
    const first = await run();
    expect(first.stdout).toMatch(
      /applied strata-0001-outbox, .*learning-0001-enrollments, learning-0002-certificates, learning-0003-outlines/,
    );
    const second = await run();
    expect(second.stdout).toContain('schema up to date');
  });

  behavesAsADataServiceMain({
    name: 'learning-service',
    mainPath: main,
    mapping: learningMapping,
    contract: learningContract,
    schemaService: service,
    etcdPrefix: prefix,
    async createOne(client) {
      // A free course as learning's outline projection holds it once the catalog published it: this
      // test runs learning-service alone, so nothing publishes the catalog's events to its topics.
      const courseId = crypto.randomUUID();
      const database = await openDatabase(
        { ...mysqlDatabase(service), migrateOnStart: false },
        learningMapping,
      );
      try {
        await database.em().execute(
          `insert into learning_outlines (course_id, instructor_id, published, price_amount, lessons,
             reordered_lesson_ids, reorder_version, lesson_ids, lesson_count, price_version, listing_version)
           values (?, ?, 1, 0, '[]', '[]', 0, '[]', 0, 1, 1)`,
          [courseId, crypto.randomUUID()],
        );
      } finally {
        await database.close();
      }
      const learner = { userId: crypto.randomUUID(), roles: ['learner'] };
      const enrollment = await client.Enrollment.enrollInFreeCourse({ courseId }, { caller: learner });
      await expect(client.Enrollment.get(enrollment.id)).resolves.toMatchObject({
        learnerId: learner.userId,
        status: 'active',
      });
      return enrollment.id;
    },
  });
});

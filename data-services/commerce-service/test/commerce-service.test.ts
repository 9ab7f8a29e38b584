import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { connectTcp, createContractClient, listenTcp, type ContractClient } from '@strata/rpc';
import { newId } from '@strata/shared-kernel';
import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { databaseNameFor } from '@strata/persistence';
import { runningStatements, uniqueService } from '@strata/persistence/test-support';
import { mariaDbDataService, refusal, type RunningDataService } from '@strata/runtime/test-support';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { SqlCatalogQueries } from '../src/catalog/sql-catalog-queries.ts';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

const instructor = { userId: newId(), roles: ['learner', 'instructor'] };
const otherInstructor = { userId: newId(), roles: ['learner', 'instructor'] };
const learner = { userId: newId(), roles: ['learner'] };
const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('commerce-service (catalog) on MariaDB', () => {
  const service = uniqueService('commerce');
  let running: RunningDataService<CommerceService>;
  let commerce: CommerceService;
  let client: ContractClient<typeof catalogContract>;
  // A word no other test run's course carries, so text search sees only this run's courses.
  const marker = `zebu${newId().slice(-8)}`;

  async function outbox(courseId: string): Promise<string[]> {
    const rows = await commerce.database
      .em()
      .execute<{ event_type: string }[]>(
        'select event_type from outbox where aggregate_id = ? order by sequence',
        [courseId],
      );
    return rows.map((row) => row.event_type);
  }

  async function publishableCourse(title: string, by = instructor): Promise<string> {
    const course = await client.Course.draft({ title, description: `all about ${title}` }, { caller: by });
    await client.Course.addLesson(course.id, { title: 'Welcome' }, { caller: by });
    await client.Course.setPrice(course.id, { price: eur(1900) }, { caller: by });
    return course.id;
  }

  beforeAll(async () => {
    running = await mariaDbDataService(
      (options) =>
        createCommerceService({
          ...options,
          paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
        }),
      service,
    );
    commerce = running.service;
    client = running.clientOf(catalogContract);
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('lets an instructor draft a course they then own', async () => {
    const course = await client.Course.draft({ title: 'Rust for Pythonistas' }, { caller: instructor });
    expect(course).toMatchObject({
      instructorId: instructor.userId,
      status: 'draft',
      price: null,
      lessons: [],
    });
    expect(await outbox(course.id)).toEqual(['CourseDrafted']);
  });

  it('refuses a learner drafting a course', async () => {
    expect(
      await refusal(client.Course.draft({ title: 'Not mine to teach' }, { caller: learner })),
    ).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'only-instructors-may-draft-and-edit-courses',
    });
  });

  it('refuses to publish without a price, and writes no event for the refused command', async () => {
    const course = await client.Course.draft({ title: 'Unpriced course' }, { caller: instructor });
    await client.Course.addLesson(course.id, { title: 'Only lesson' }, { caller: instructor });
    const before = await outbox(course.id);
    expect(await refusal(client.Course.publish(course.id, {}, { caller: instructor }))).toMatchObject({
      code: 'RULE_VIOLATION',
      reason: 'course-without-price-cannot-be-published',
    });
    expect(await outbox(course.id)).toEqual(before);
    expect((await client.Course.get(course.id)).status).toBe('draft');
  });

  it('publishes a priced course with lessons, its events in the outbox with the change', async () => {
    const id = await publishableCourse('Publishable course');
    const published = await client.Course.publish(id, {}, { caller: instructor });
    expect(published).toMatchObject({
      status: 'published',
      price: eur(1900),
      lessons: [{ title: 'Welcome' }],
    });
    expect(await outbox(id)).toEqual([
      'CourseDrafted',
      'LessonAdded',
      'CoursePriceChanged',
      'CoursePublished',
    ]);
    const [row] = await commerce.database
      .em()
      .execute<{ version: number; status: string }[]>('select version, status from courses where id = ?', [
        id,
      ]);
    expect({ version: Number(row!.version), status: row!.status }).toEqual({
      version: 4,
      status: 'published',
    });
  });

  it("stamps the call's correlation id and trace context on the envelopes of the events it causes", async () => {
    const id = await publishableCourse('Traced course');
    const correlationId = `corr-${newId()}`;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await client.Course.publish(id, {}, { caller: instructor, correlationId, traceparent });
    const [row] = await commerce.database
      .em()
      .execute<{ envelope: string }[]>(
        "select envelope from outbox where aggregate_id = ? and event_type = 'CoursePublished'",
        [id],
      );
    expect(JSON.parse(row!.envelope)).toMatchObject({ correlationId, traceparent, aggregateId: id });
  });

  it("refuses another instructor's change", async () => {
    const id = await publishableCourse('Someone else’s course');
    expect(
      await refusal(client.Course.addLesson(id, { title: 'Sneaky' }, { caller: otherInstructor })),
    ).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'only-the-course-owner-may-change-it' });
    expect((await client.Course.get(id)).lessons).toHaveLength(1);
  });

  it('refuses a change without a caller identity', async () => {
    const id = await publishableCourse('Anonymous edit');
    expect(await refusal(client.Course.publish(id))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'caller-identity-required',
    });
  });

  it('answers INVALID_ARGUMENT with field paths for malformed input', async () => {
    const id = await publishableCourse('Validated course');
    const error = await refusal(
      client.Course.setPrice(id, { price: { amount: -1.5, currency: 'euro' } }, { caller: instructor }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect((error.issues ?? []).map((issue) => issue.path.join('.'))).toEqual(
      expect.arrayContaining(['input.price.amount', 'input.price.currency']),
    );
    const notAnId = await refusal(client.Course.publish('not-a-uuid', {}, { caller: instructor }));
    expect(notAnId).toMatchObject({
      code: 'INVALID_ARGUMENT',
      issues: [expect.objectContaining({ path: ['id'] })],
    });
  });

  it('finds published courses by text, in a stable order, page by page', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const id = await publishableCourse(`Course ${marker} ${n}`);
      await client.Course.publish(id, {}, { caller: instructor });
      ids.push(id);
    }
    // A draft with the marker must not be found.
    await client.Course.draft({ title: `Draft ${marker}` }, { caller: instructor });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.Course.findPublished({ text: marker.toUpperCase(), limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((course) => course.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);

    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort());
    const again = await client.Course.findPublished({ text: marker, limit: 2 });
    expect(again.items.map((course) => course.id)).toEqual(seen.slice(0, 2));
  });

  it('looks through a bounded window of courses per search page, and the cursors still lead to every match', async () => {
    const rare = `okapi${newId().slice(-8)}`;
    const matching: string[] = [];
    for (const n of [1, 2, 3]) {
      const id = await publishableCourse(`Course ${rare} ${n}`);
      await client.Course.publish(id, {}, { caller: instructor });
      matching.push(id);
      // Published courses without the text between the matches, so a window of two cannot hold them all.
      for (const other of [1, 2]) {
        const filler = await publishableCourse(`Filler ${rare.slice(0, 4)} ${n}.${other}`);
        await client.Course.publish(filler, {}, { caller: instructor });
      }
    }
    const queries = new SqlCatalogQueries(() => commerce.database.em().fork(), { searchWindow: 2 });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queries.publishedCourses({ text: rare, limit: 10, cursor });
      // A window of two published courses holds two matches at most, whatever the limit.
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((course) => course.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);

    expect(seen).toEqual([...matching].sort());
    // At least the nine courses of this test, two a window.
    expect(pages).toBeGreaterThanOrEqual(5);
  });

  it('treats LIKE wildcards in the search text as characters', async () => {
    expect((await client.Course.findPublished({ text: '%' })).items).toEqual([]);
  });

  it('refuses search text with control characters, naming the field', async () => {
    for (const text of ['\u0000', 'tab\there', '\u202Eevil']) {
      expect(await refusal(client.Course.findPublished({ text }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        issues: [expect.objectContaining({ path: ['input', 'text'] })],
      });
    }
  });

  it('refuses a cursor it did not issue, naming the field', async () => {
    expect(await refusal(client.Course.findPublished({ cursor: 'bm90LWEtY3Vyc29y' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'cursor-is-not-valid',
      details: { field: 'cursor' },
    });
  });

  it("lists an instructor's drafts to them, and only the published courses to others", async () => {
    const author = { userId: newId(), roles: ['instructor'] };
    const published = await publishableCourse('Listed published', author);
    await client.Course.publish(published, {}, { caller: author });
    const draft = await client.Course.draft({ title: 'Listed draft' }, { caller: author });
    const own = await client.Course.findByInstructor({ instructorId: author.userId }, { caller: author });
    expect(own.items.map((course) => course.id).sort()).toEqual([published, draft.id].sort());
    const others = await client.Course.findByInstructor({ instructorId: author.userId }, { caller: learner });
    expect(others.items.map((course) => course.id)).toEqual([published]);
  });

  it('lets exactly one of two concurrent commands on one course commit; the other is a CONFLICT', async () => {
    const course = await client.Course.draft({ title: 'Contended course' }, { caller: instructor });
    // Both commands must load the course before either commits: a held row lock lets their reads
    // through and stops both at their first write, and is released once both are waiting there.
    const holder = await createConnection({ ...stackEndpoints().mysql, database: databaseNameFor(service) });
    let attempts: PromiseSettledResult<unknown>[];
    try {
      await holder.beginTransaction();
      await holder.query('select id from courses where id = ? for update', [course.id]);
      const settled = Promise.allSettled([
        client.Course.addLesson(course.id, { title: 'From tab one' }, { caller: instructor }),
        client.Course.addLesson(course.id, { title: 'From tab two' }, { caller: instructor }),
      ]);
      expect(await runningStatements(service, 'update `courses`', 2)).toBe(2);
      await holder.commit();
      attempts = await settled;
    } finally {
      await holder.end();
    }
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = attempts.filter((attempt) => attempt.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    expect((await client.Course.get(course.id)).lessons).toHaveLength(1);
    expect(await outbox(course.id)).toEqual(['CourseDrafted', 'LessonAdded']);
  });

  it('answers a non-idempotent command repeated with the same idempotency key with the first result, adding one lesson', async () => {
    const course = await client.Course.draft({ title: 'Retried lesson' }, { caller: instructor });
    const options = { caller: instructor, idempotencyKey: newId() };
    const first = await client.Course.addLesson(course.id, { title: 'Once only' }, options);
    const second = await client.Course.addLesson(course.id, { title: 'Once only' }, options);
    expect(second).toEqual(first);
    expect((await client.Course.get(course.id)).lessons).toHaveLength(1);
    expect(await outbox(course.id)).toEqual(['CourseDrafted', 'LessonAdded']);
  });

  it('serves the same contract over real TCP', async () => {
    const listener = await listenTcp({ handler: commerce.handler, tls: false });
    const connection = await connectTcp({
      host: listener.address.host,
      port: listener.address.port,
      tls: false,
    });
    try {
      const overTcp = createContractClient(catalogContract, {
        service: 'commerce-service',
        invoke: (request) => connection.call(request),
      });
      const course = await overTcp.Course.draft({ title: 'Over the wire' }, { caller: instructor });
      expect(await refusal(overTcp.Course.publish(course.id, {}, { caller: instructor }))).toMatchObject({
        code: 'RULE_VIOLATION',
        reason: 'course-without-lessons-cannot-be-published',
      });
    } finally {
      await connection.close();
      await listener.close();
    }
  });

  it('refuses over real TCP a request addressed to another service, before any method runs', async () => {
    const listener = await listenTcp({ handler: commerce.handler, tls: false });
    const connection = await connectTcp({
      host: listener.address.host,
      port: listener.address.port,
      tls: false,
    });
    const title = `Misaddressed ${marker}`;
    try {
      const answer = await connection.call({
        service: 'identity-service',
        method: 'Course.draft',
        payload: { input: { title } },
        metadata: { caller: instructor },
      });
      expect(answer).toEqual({
        ok: false,
        error: {
          code: 'UNIMPLEMENTED',
          message:
            "this instance serves 'commerce-service', not 'identity-service'; Course.draft was not run",
          reason: 'wrong-target-service',
          details: { served: 'commerce-service', requested: 'identity-service' },
        },
      });
      const rows = await commerce.database
        .em()
        .execute<{ id: string }[]>('select id from courses where title = ?', [title]);
      expect(rows).toEqual([]);
    } finally {
      await connection.close();
      await listener.close();
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  aggregate,
  checkGlossary,
  command,
  contractElements,
  contractMethods,
  creation,
  defineContract,
  defineGlossary,
  event,
  firstVersionEvents,
  z,
  type AggregateSpec,
} from '@strata/shared-kernel';
import { courseContract } from './course-contract.ts';

const COURSE_ID = '0190a5c4-8f2e-7b3a-9c1d-2e3f4a5b6c7d';

describe('a contract', () => {
  it('lists every callable method, the implicit get included, with its kind and retry safety', () => {
    const methods = [...contractMethods(courseContract).values()].map(
      ({ path, kind, addressed, retrySafe }) => ({
        path,
        kind,
        addressed,
        retrySafe,
      }),
    );
    expect(methods).toEqual([
      { path: 'Course.get', kind: 'get', addressed: true, retrySafe: true },
      { path: 'Course.draft', kind: 'creation', addressed: false, retrySafe: false },
      { path: 'Course.importFrom', kind: 'creation', addressed: false, retrySafe: false },
      { path: 'Course.publish', kind: 'command', addressed: true, retrySafe: true },
      { path: 'Course.addLesson', kind: 'command', addressed: true, retrySafe: false },
      { path: 'Course.rename', kind: 'command', addressed: true, retrySafe: true },
      { path: 'Course.priceIn', kind: 'query', addressed: true, retrySafe: true },
      { path: 'Course.findPublished', kind: 'finder', addressed: false, retrySafe: true },
      { path: 'Course.findTitles', kind: 'finder', addressed: false, retrySafe: true },
      { path: 'Review.get', kind: 'get', addressed: true, retrySafe: true },
      { path: 'Review.write', kind: 'creation', addressed: false, retrySafe: false },
    ]);
  });

  it('validates a command payload as { id, input }, naming the refused fields by path', () => {
    const addLesson = contractMethods(courseContract).get('Course.addLesson')!;
    expect(addLesson.payload.safeParse({ id: COURSE_ID, input: { title: 'Intro' } }).success).toBe(true);
    const refused = addLesson.payload.safeParse({ id: 'not-a-uuid', input: { title: 7 } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path)).toEqual([['id'], ['input', 'title']]);
  });

  it('gives finders a cursor and a bounded limit with a default, and answers a page of views', () => {
    const findPublished = contractMethods(courseContract).get('Course.findPublished')!;
    expect(findPublished.payload.parse({ input: { text: 'ts' } })).toEqual({
      input: { text: 'ts', limit: 20 },
    });
    expect(findPublished.payload.safeParse({ input: { limit: 101 } }).success).toBe(false);
    expect(findPublished.payload.safeParse({ input: { limit: 0 } }).success).toBe(false);
    const view = { id: COURSE_ID, title: 'TypeScript', status: 'published', lessons: [] };
    expect(findPublished.output.parse({ items: [view], nextCursor: null })).toEqual({
      items: [view],
      nextCursor: null,
    });
    expect(findPublished.output.safeParse({ items: [{ id: COURSE_ID }], nextCursor: null }).success).toBe(
      false,
    );
  });

  it('answers the view by default and the declared output where one overrides it', () => {
    const methods = contractMethods(courseContract);
    expect(methods.get('Course.publish')!.output).toBe(courseContract.aggregates.Course.view);
    expect(methods.get('Course.rename')!.output.safeParse({ previousTitle: 'Old' }).success).toBe(true);
    expect(
      methods
        .get('Course.findTitles')!
        .output.safeParse({ items: [{ id: COURSE_ID, title: 'T' }], nextCursor: 'c' }).success,
    ).toBe(true);
  });

  // The spec is widened to AggregateSpec here, as a contract assembled at run time would be: the
  // compile-time check (see contract-types.type-test.ts) cannot see the names, the run-time one must.
  it('refuses a method name used twice in one aggregate, or the implicit get', () => {
    const twice = () =>
      aggregate({
        id: z.uuid(),
        view: z.object({ id: z.uuid() }),
        creations: { open: creation({ input: z.object({}) }) },
        commands: { open: command({ input: z.object({}), idempotent: true }) },
      } as AggregateSpec);
    expect(twice).toThrow('method "open" is declared twice');
    const get = () =>
      aggregate({
        id: z.uuid(),
        view: z.object({ id: z.uuid() }),
        commands: { get: command({ input: z.object({}), idempotent: true }) },
      } as AggregateSpec);
    expect(get).toThrow('method "get" is implicit');
  });

  it('refuses an event type declared by two aggregates of one context', () => {
    const opened = event({ version: 1, payload: z.object({ id: z.uuid() }) });
    const define = () =>
      defineContract({
        context: 'catalog',
        aggregates: {
          Course: aggregate({ id: z.uuid(), view: z.object({}), events: { Opened: opened } }),
          Shelf: aggregate({ id: z.uuid(), view: z.object({}), events: { Opened: opened } }),
        },
      });
    expect(define).toThrow('event "Opened" is declared by both Course and Shelf');
  });

  it('refuses names the wire and the docs cannot carry', () => {
    const view = z.object({});
    expect(() => defineContract({ context: 'Catalog', aggregates: {} })).toThrow('must be kebab-case');
    expect(() =>
      defineContract({ context: 'catalog', aggregates: { course: aggregate({ id: z.uuid(), view }) } }),
    ).toThrow('aggregate name "course" in context catalog must be PascalCase');
    expect(() =>
      defineContract({
        context: 'catalog',
        aggregates: {
          Course: aggregate({
            id: z.uuid(),
            view,
            commands: { 'add-lesson': command({ input: z.object({}), idempotent: false }) },
          }),
        },
      }),
    ).toThrow('method "Course.add-lesson" must be camelCase');
    expect(() => event({ version: 0, payload: z.object({}) })).toThrow(
      'schema version is a whole number from 1',
    );
    expect(() => event({ version: 1, payload: z.object({}), topicSuffix: 'Visits.All' })).toThrow(
      'topic suffix is one lower-case word',
    );
  });

  it('carries the topic suffix of an event its producer ships itself, and none for the others', () => {
    const events = firstVersionEvents({ Visited: z.object({ id: z.uuid() }) }, { topicSuffix: 'visits' });
    expect(events.Visited).toMatchObject({ version: 1, topicSuffix: 'visits' });
    expect(event({ version: 1, payload: z.object({}) })).not.toHaveProperty('topicSuffix');
    const contract = defineContract({
      context: 'links',
      aggregates: {
        Link: aggregate({ id: z.uuid(), view: z.object({ id: z.uuid() }), events }),
      },
    });
    expect(contractElements(contract).find((element) => element.ref === 'Visited')).toMatchObject({
      kind: 'event',
      topicSuffix: 'visits',
    });
  });

  it('declares events at their first version from one record of payload schemas', () => {
    const opened = z.object({ id: z.uuid() });
    const closed = z.object({ id: z.uuid(), reason: z.string() });
    expect(firstVersionEvents({ Opened: opened, Closed: closed })).toEqual({
      Opened: { kind: 'event', version: 1, payload: opened },
      Closed: { kind: 'event', version: 1, payload: closed },
    });
  });
});

describe('the elements of a contract', () => {
  it('names aggregates, methods, events and their fields the way glossary refs do', () => {
    const elements = contractElements(courseContract);
    const refs = elements.map((element) => `${element.kind} ${element.ref}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        'aggregate Course',
        'view-field Course.title',
        'creation Course.draft',
        'input-field Course.draft.instructorId',
        'command Course.addLesson',
        'input-field Course.addLesson.title',
        'finder Course.findPublished',
        'input-field Course.findPublished.text',
        'query Course.priceIn',
        'event CoursePublished',
        'payload-field CoursePublished.courseId',
        'event ReviewWritten',
        'aggregate Review',
      ]),
    );
    expect(refs).not.toContain('query Course.get');
    const lessonAdded = elements.find((element) => element.ref === 'LessonAdded');
    expect(lessonAdded).toMatchObject({ kind: 'event', aggregate: 'Course', version: 2 });
    expect(elements.find((element) => element.ref === 'Course.addLesson')).toMatchObject({
      idempotent: false,
    });
    expect(
      elements.find((element) => element.ref === 'Course.title')?.schema.safeParse('TypeScript').success,
    ).toBe(true);
  });
});

describe('a glossary checked against its contract', () => {
  const contract = defineContract({
    context: 'catalog',
    aggregates: {
      Course: aggregate({
        id: z.uuid(),
        view: z.object({ id: z.uuid(), title: z.string() }),
        commands: { publish: command({ input: z.object({}), idempotent: true }) },
        events: { CoursePublished: event({ version: 1, payload: z.object({ courseId: z.uuid() }) }) },
      }),
    },
  });

  it('passes when every aggregate, method and event has a term and every ref exists', () => {
    const glossary = defineGlossary({
      context: 'catalog',
      terms: [
        { term: 'Course', definition: 'What an instructor teaches.', refs: ['Course', 'Course.title'] },
        {
          term: 'Publish',
          definition: 'Make a course visible to learners.',
          avoid: ['release'],
          refs: ['Course.publish', 'CoursePublished'],
        },
      ],
    });
    expect(checkGlossary(contract, glossary)).toEqual([]);
  });

  it('reports refs to nothing and contract terms without a definition', () => {
    const glossary = defineGlossary({
      context: 'catalog',
      terms: [
        { term: 'Course', definition: 'What an instructor teaches.', refs: ['Course', 'Course.price'] },
      ],
    });
    expect(checkGlossary(contract, glossary).map(({ kind, ref }) => `${kind} ${ref}`)).toEqual([
      'unknown-ref Course.price',
      'undefined-term Course.publish',
      'undefined-term CoursePublished',
    ]);
  });

  it('refuses a term defined twice or without a definition', () => {
    expect(() =>
      defineGlossary({
        context: 'catalog',
        terms: [
          { term: 'Course', definition: 'a', refs: [] },
          { term: 'course', definition: 'b', refs: [] },
        ],
      }),
    ).toThrow('term "course" is defined twice');
    expect(() =>
      defineGlossary({ context: 'catalog', terms: [{ term: 'Course', definition: ' ', refs: [] }] }),
    ).toThrow('every term needs a name and a definition');
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  checkGlossary,
  contractElements,
  contractMethods,
  FixedClock,
  Money,
  type DomainEvent,
} from '@strata/shared-kernel';
import { Course, toCourseView } from '@strata/catalog';
import { catalogContract, CourseView } from '@strata/catalog/contract';
import { catalogGlossary } from '../src/glossary.ts';
import { aDraft, anAdmin, anInstructor, DRAFTED_AT } from './course.mother.ts';

const clock = new FixedClock('2026-04-02T16:45:00.000Z');
const courseEvents = catalogContract.aggregates.Course.events;
const SOME_ID = '0190d5a2-7b3c-7def-8123-456789abcdef';

/** Drives a course through every command, keeping every event the domain records. */
function everyCourseEvent(): { course: Course; events: DomainEvent[] } {
  const owner = anInstructor();
  const course = Course.draft(aDraft(), owner, new FixedClock(DRAFTED_AT));
  course.editDetails({ description: 'Second thoughts.' }, owner, clock);
  const first = course.addLesson({ title: 'First' }, owner, clock);
  const second = course.addLesson({ title: 'Second' }, owner, clock);
  course.renameLesson({ lessonId: first, title: 'The first' }, owner, clock);
  course.reorderLessons({ lessonIds: [second, first] }, owner, clock);
  course.removeLesson({ lessonId: second }, owner, clock);
  course.setPrice(Money.of(1900, 'EUR'), owner, clock);
  course.setPrice(Money.of(2900, 'EUR'), owner, clock);
  course.publish(owner, clock);
  course.unpublish(owner, clock);
  course.publish(owner, clock);
  const events = [...course.pendingEvents];
  course.markSaved();
  return { course, events };
}

function payloadOf(method: string, input: unknown, id?: string) {
  const found = contractMethods(catalogContract).get(method);
  if (!found) throw new Error(`the contract has no method ${method}`);
  return found.payload.safeParse(id === undefined ? { input } : { id, input });
}

describe('the catalog contract', () => {
  it('declares every event the domain records, and the domain records every event it declares', () => {
    const { course, events } = everyCourseEvent();
    course.archive(anAdmin(), clock);
    const types = new Set([...events, ...course.pendingEvents].map((recorded) => recorded.type));
    expect(types).toEqual(new Set(Object.keys(courseEvents)));
  });

  it('accepts every recorded payload exactly as recorded', () => {
    const { course, events } = everyCourseEvent();
    course.archive(anAdmin(), clock);
    for (const recorded of [...events, ...course.pendingEvents]) {
      const schema = courseEvents[recorded.type as keyof typeof courseEvents].payload;
      expect({ type: recorded.type, payload: schema.parse(recorded.payload) }).toEqual({
        type: recorded.type,
        payload: recorded.payload,
      });
    }
  });

  it('shows a course as its view', () => {
    const { course } = everyCourseEvent();
    const view = toCourseView(course);
    expect(CourseView.parse(view)).toEqual(view);
    expect(view).toEqual({
      id: course.id,
      instructorId: course.instructorId,
      title: 'Domain-Driven Design in TypeScript',
      description: 'Second thoughts.',
      status: 'published',
      price: { amount: 2900, currency: 'EUR' },
      lessons: [{ id: course.lessons[0]!.id, title: 'The first' }],
      draftedAt: DRAFTED_AT,
      publishedAt: '2026-04-02T16:45:00.000Z',
      version: course.version,
    });
  });

  it('shows a fresh draft with no price and no publication', () => {
    const draft = Course.draft(aDraft(), anInstructor(), clock);
    expect(CourseView.parse(toCourseView(draft))).toMatchObject({
      price: null,
      publishedAt: null,
      lessons: [],
      // Never saved: the runtime answers with the version the commit gives it.
      version: 0,
    });
  });

  it.each([
    ['a title of 2 characters', 'Course.draft', { title: 'DD' }, ['input', 'title']],
    [
      'a description of 5001 characters',
      'Course.draft',
      { title: 'Fine', description: 'd'.repeat(5001) },
      ['input', 'description'],
    ],
    ['a blank lesson title', 'Course.addLesson', { title: ' ' }, ['input', 'title']],
    [
      'a lesson id that is not one',
      'Course.renameLesson',
      { lessonId: 'lesson-1', title: 'x' },
      ['input', 'lessonId'],
    ],
    [
      'a negative price',
      'Course.setPrice',
      { price: { amount: -1, currency: 'EUR' } },
      ['input', 'price', 'amount'],
    ],
    [
      'a price in fractions',
      'Course.setPrice',
      { price: { amount: 19.99, currency: 'EUR' } },
      ['input', 'price', 'amount'],
    ],
    [
      'a price above the maximum',
      'Course.setPrice',
      { price: { amount: 100_000_001, currency: 'EUR' } },
      ['input', 'price', 'amount'],
    ],
    [
      'a currency in lower case',
      'Course.setPrice',
      { price: { amount: 100, currency: 'eur' } },
      ['input', 'price', 'currency'],
    ],
    [
      'a price without currency',
      'Course.setPrice',
      { price: { amount: 100 } },
      ['input', 'price', 'currency'],
    ],
    ['a search text of 101 characters', 'Course.findPublished', { text: 't'.repeat(101) }, ['input', 'text']],
    ['a page of 101 items', 'Course.findPublished', { limit: 101 }, ['input', 'limit']],
    [
      'an instructor id that is not one',
      'Course.findByInstructor',
      { instructorId: 'me' },
      ['input', 'instructorId'],
    ],
  ])('refuses %s at the boundary, naming the field', (_label, method, input, path) => {
    const addressed = ['Course.draft', 'Course.findPublished', 'Course.findByInstructor'].includes(method)
      ? undefined
      : SOME_ID;
    const result = payloadOf(method, input, addressed);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('takes no owner in any input: the owner is whoever acts', () => {
    const draftInput = payloadOf('Course.draft', { title: 'Mine', instructorId: SOME_ID });
    expect(draftInput.data).toEqual({ input: { title: 'Mine' } });
  });

  it('marks as retry-safe exactly the commands that change nothing when repeated', () => {
    const commands = [...contractMethods(catalogContract).values()].filter(
      (method) => method.kind === 'command',
    );
    const unsafe = commands.filter((method) => !method.retrySafe).map((method) => method.name);
    expect(unsafe.sort()).toEqual(['addLesson', 'removeLesson']);
  });
});

describe('the catalog glossary', () => {
  it('names only elements of the contract and covers every aggregate, method and event', () => {
    expect(checkGlossary(catalogContract, catalogGlossary)).toEqual([]);
  });

  it('defines every field too, so a domain expert can read every input and payload', () => {
    const referenced = new Set(catalogGlossary.terms.flatMap((term) => term.refs));
    const undefinedRefs = contractElements(catalogContract)
      .map((element) => element.ref)
      .filter((ref) => !referenced.has(ref));
    expect(undefinedRefs).toEqual([]);
  });
});

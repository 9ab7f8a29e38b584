import { describe, expect, it } from '@jest/globals';
import { FixedClock, Money, newId } from '@strata/shared-kernel';
import { Course, MAX_LESSONS_PER_COURSE, MAX_PRICE_IN_MINOR_UNITS, type Actor } from '@strata/catalog';
import {
  aDraft,
  aDraftCourse,
  aLearner,
  anAdmin,
  anArchivedCourse,
  anInstructor,
  aPublishableCourse,
  aPublishedCourse,
  DRAFTED_AT,
} from './course.mother.ts';
import { expectedEvent, expectRefusal, expectRejection } from '@strata/shared-kernel/test-support';

const LATER = '2026-04-02T16:45:00.000Z';
const clock = new FixedClock(LATER);

function event(course: Course, type: string, payload: unknown, occurredAt = LATER) {
  return expectedEvent(course, type, payload, occurredAt);
}

function ownerOf(course: Course): Actor {
  return { userId: course.instructorId, roles: ['learner', 'instructor'] };
}

/** The owner after an admin revoked their instructor role. */
function formerInstructor(course: Course): Actor {
  return { userId: course.instructorId, roles: ['learner'] };
}

describe('drafting a course', () => {
  it('gives the acting instructor a draft they own and records CourseDrafted', () => {
    const instructor = anInstructor();
    const id = newId<'Course'>();
    const course = Course.draft(
      { title: '  Event Sourcing 101 ', description: ' Line one\nline two ' },
      instructor,
      new FixedClock(DRAFTED_AT),
      id,
    );

    expect(course).toMatchObject({
      id,
      instructorId: instructor.userId,
      title: 'Event Sourcing 101',
      description: 'Line one\nline two',
      status: 'draft',
      lessons: [],
      price: null,
      draftedAt: new Date(DRAFTED_AT),
      publishedAt: null,
    });
    expect(course.price).toBeNull();
    expect(course.pendingEvents).toEqual([
      event(
        course,
        'CourseDrafted',
        {
          courseId: id,
          instructorId: instructor.userId,
          title: 'Event Sourcing 101',
          description: 'Line one\nline two',
        },
        DRAFTED_AT,
      ),
    ]);
  });

  it('starts with an empty description when none is given', () => {
    const course = Course.draft({ title: 'Kafka basics' }, anInstructor(), clock);
    expect(course.description).toBe('');
  });

  it.each([
    ['a learner', aLearner()],
    ['an admin who is not an instructor', anAdmin()],
  ])('refuses %s', async (_label, actor) => {
    await expectRejection(
      () => Course.draft(aDraft(), actor, clock),
      'only-instructors-may-draft-and-edit-courses',
      'PERMISSION_DENIED',
    );
  });

  it.each([
    ['of 2 characters', 'DD', 'course-title-must-be-3-to-120-characters'],
    ['of 121 characters', 'x'.repeat(121), 'course-title-must-be-3-to-120-characters'],
    ['that is blank once trimmed', '      ', 'course-title-must-be-3-to-120-characters'],
    ['spanning two lines', 'Domain\nDriven', 'course-title-must-not-contain-control-characters'],
    ['with a bidi override', 'Free \u202Ecourse', 'course-title-must-not-contain-control-characters'],
  ])('refuses a title %s', async (_label, title, code) => {
    await expectRejection(
      () => Course.draft(aDraft({ title }), anInstructor(), clock),
      code,
      'INVALID_ARGUMENT',
    );
  });

  it.each([
    ['of 5001 characters', 'x'.repeat(5001), 'course-description-must-be-at-most-5000-characters'],
    [
      'with an escape character',
      'Intro \u001b[31m red',
      'course-description-must-not-contain-control-characters',
    ],
  ])('refuses a description %s', async (_label, description, code) => {
    await expectRejection(
      () => Course.draft(aDraft({ description }), anInstructor(), clock),
      code,
      'INVALID_ARGUMENT',
    );
  });
});

describe('who may change a course', () => {
  const changes: Array<[string, (course: Course, actor: Actor) => void]> = [
    ['edit its details', (course, actor) => course.editDetails({ title: 'A new title' }, actor, clock)],
    ['add a lesson', (course, actor) => course.addLesson({ title: 'One more' }, actor, clock)],
    [
      'rename a lesson',
      (course, actor) =>
        course.renameLesson({ lessonId: course.lessons[0]!.id, title: 'Renamed' }, actor, clock),
    ],
    [
      'remove a lesson',
      (course, actor) => course.removeLesson({ lessonId: course.lessons[0]!.id }, actor, clock),
    ],
    [
      'reorder its lessons',
      (course, actor) =>
        course.reorderLessons({ lessonIds: course.lessons.map((l) => l.id).reverse() }, actor, clock),
    ],
    ['set its price', (course, actor) => course.setPrice(Money.of(1, 'EUR'), actor, clock)],
    ['publish it', (course, actor) => course.publish(actor, clock)],
  ];

  it.each(changes)('refuses another instructor who tries to %s', async (_label, change) => {
    const course = aPublishableCourse();
    await expectRefusal(
      course,
      () => change(course, anInstructor()),
      'only-the-course-owner-may-change-it',
      'PERMISSION_DENIED',
    );
  });

  it.each(changes)(
    'refuses an admin who tries to %s: authorship is the instructor’s',
    async (_label, change) => {
      const course = aPublishableCourse();
      await expectRefusal(
        course,
        () => change(course, anAdmin()),
        'only-the-course-owner-may-change-it',
        'PERMISSION_DENIED',
      );
    },
  );

  it.each(changes)(
    'refuses the owner who lost the instructor role and tries to %s',
    async (_label, change) => {
      const course = aPublishableCourse();
      await expectRefusal(
        course,
        () => change(course, formerInstructor(course)),
        'only-instructors-may-draft-and-edit-courses',
        'PERMISSION_DENIED',
      );
    },
  );

  it.each(changes)('refuses anyone who tries to %s once the course is archived', async (_label, change) => {
    const course = anArchivedCourse();
    await expectRefusal(
      course,
      () => change(course, ownerOf(course)),
      'archived-course-cannot-be-changed',
      'RULE_VIOLATION',
    );
  });

  it.each([
    ['unpublish', (course: Course, actor: Actor) => course.unpublish(actor, clock)],
    ['archive', (course: Course, actor: Actor) => course.archive(actor, clock)],
  ])('refuses another instructor who tries to %s it', async (_label, takeDown) => {
    const course = aPublishedCourse();
    await expectRefusal(
      course,
      () => takeDown(course, anInstructor()),
      'only-the-course-owner-may-change-it',
      'PERMISSION_DENIED',
    );
  });

  it('refuses the owner who lost the instructor role and tries to unpublish it', async () => {
    const course = aPublishedCourse();
    await expectRefusal(
      course,
      () => course.unpublish(formerInstructor(course), clock),
      'only-instructors-may-draft-and-edit-courses',
      'PERMISSION_DENIED',
    );
  });
});

describe('editing details', () => {
  it('changes the title and description and records both as they now are', () => {
    const course = aDraftCourse();
    course.editDetails({ title: ' Hexagonal Node ', description: 'Ports first.' }, ownerOf(course), clock);
    expect(course).toMatchObject({ title: 'Hexagonal Node', description: 'Ports first.' });
    expect(course.pendingEvents).toEqual([
      event(course, 'CourseDetailsEdited', {
        courseId: course.id,
        title: 'Hexagonal Node',
        description: 'Ports first.',
      }),
    ]);
  });

  it('keeps what is left out', () => {
    const course = aDraftCourse();
    course.editDetails({ description: '' }, ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([
      event(course, 'CourseDetailsEdited', {
        courseId: course.id,
        title: 'Domain-Driven Design in TypeScript',
        description: '',
      }),
    ]);
  });

  it('records nothing when nothing changes', () => {
    const course = aDraftCourse();
    course.editDetails(
      { title: course.title, description: `${course.description}  ` },
      ownerOf(course),
      clock,
    );
    course.editDetails({}, ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([]);
  });

  it('may edit a published course, which stays published', () => {
    const course = aPublishedCourse();
    course.editDetails({ title: 'Second edition' }, ownerOf(course), clock);
    expect(course.status).toBe('published');
    expect(course.pendingEvents).toHaveLength(1);
  });

  it('refuses an invalid title', async () => {
    const course = aDraftCourse();
    await expectRefusal(
      course,
      () => course.editDetails({ title: 'x' }, ownerOf(course), clock),
      'course-title-must-be-3-to-120-characters',
      'INVALID_ARGUMENT',
    );
  });
});

describe('lessons', () => {
  it('are appended in order, each answering its id and position', () => {
    const course = aDraftCourse();
    const first = course.addLesson({ title: ' Aggregates ' }, ownerOf(course), clock);
    const second = course.addLesson({ title: 'Events' }, ownerOf(course), clock);
    expect(course.lessons).toEqual([
      { id: first, title: 'Aggregates' },
      { id: second, title: 'Events' },
    ]);
    expect(course.pendingEvents).toEqual([
      event(course, 'LessonAdded', {
        courseId: course.id,
        lessonId: first,
        title: 'Aggregates',
        position: 0,
      }),
      event(course, 'LessonAdded', { courseId: course.id, lessonId: second, title: 'Events', position: 1 }),
    ]);
  });

  it('take the id they are given', () => {
    const course = aDraftCourse();
    const lessonId = newId<'Lesson'>();
    expect(course.addLesson({ title: 'Intro' }, ownerOf(course), clock, lessonId)).toBe(lessonId);
    expect(course.lessons[0]?.id).toBe(lessonId);
  });

  it(`are at most ${MAX_LESSONS_PER_COURSE} per course`, async () => {
    const course = aDraftCourse();
    for (let i = 1; i <= MAX_LESSONS_PER_COURSE; i += 1)
      course.addLesson({ title: `Lesson ${i}` }, ownerOf(course), clock);
    course.markSaved();
    await expectRefusal(
      course,
      () => course.addLesson({ title: 'One too many' }, ownerOf(course), clock),
      'course-cannot-exceed-max-lessons',
      'RULE_VIOLATION',
    );
  });

  it.each([
    ['blank', '   ', 'lesson-title-must-be-1-to-120-characters'],
    ['of 121 characters', 'y'.repeat(121), 'lesson-title-must-be-1-to-120-characters'],
    ['with a tab', 'Part\tone', 'lesson-title-must-not-contain-control-characters'],
  ])('refuse a %s title', async (_label, title, code) => {
    const course = aDraftCourse();
    await expectRefusal(
      course,
      () => course.addLesson({ title }, ownerOf(course), clock),
      code,
      'INVALID_ARGUMENT',
    );
  });

  it('can be renamed', () => {
    const course = aPublishableCourse();
    const lessonId = course.lessons[1]!.id;
    course.renameLesson({ lessonId, title: 'Events are facts' }, ownerOf(course), clock);
    expect(course.lessons[1]).toEqual({ id: lessonId, title: 'Events are facts' });
    expect(course.pendingEvents).toEqual([
      event(course, 'LessonRenamed', { courseId: course.id, lessonId, title: 'Events are facts' }),
    ]);
  });

  it('record nothing when renamed to the same title', () => {
    const course = aPublishableCourse();
    course.renameLesson(
      { lessonId: course.lessons[0]!.id, title: ` ${course.lessons[0]!.title} ` },
      ownerOf(course),
      clock,
    );
    expect(course.pendingEvents).toEqual([]);
  });

  it('that do not exist cannot be renamed or removed', async () => {
    const course = aPublishableCourse();
    const lessonId = newId<'Lesson'>();
    await expectRefusal(
      course,
      () => course.renameLesson({ lessonId, title: 'x' }, ownerOf(course), clock),
      'lesson-not-found',
      'NOT_FOUND',
    );
    await expectRefusal(
      course,
      () => course.removeLesson({ lessonId }, ownerOf(course), clock),
      'lesson-not-found',
      'NOT_FOUND',
    );
  });

  it('can be removed, closing the gap', () => {
    const course = aPublishableCourse(anInstructor(), ['One', 'Two', 'Three']);
    const [one, two, three] = course.lessons;
    course.removeLesson({ lessonId: two!.id }, ownerOf(course), clock);
    expect(course.lessons).toEqual([one, three]);
    expect(course.pendingEvents).toEqual([
      event(course, 'LessonRemoved', { courseId: course.id, lessonId: two!.id }),
    ]);
  });

  it('of a published course can be removed while one remains', () => {
    const course = aPublishedCourse();
    course.removeLesson({ lessonId: course.lessons[0]!.id }, ownerOf(course), clock);
    expect(course.lessons.length).toBe(1);
  });

  it('of a published course cannot all be removed', async () => {
    const course = aPublishedCourse();
    course.removeLesson({ lessonId: course.lessons[0]!.id }, ownerOf(course), clock);
    course.markSaved();
    await expectRefusal(
      course,
      () => course.removeLesson({ lessonId: course.lessons[0]!.id }, ownerOf(course), clock),
      'published-course-must-keep-a-lesson',
      'RULE_VIOLATION',
    );
  });

  it('of a draft can all be removed', () => {
    const course = aPublishableCourse(anInstructor(), ['Only']);
    course.removeLesson({ lessonId: course.lessons[0]!.id }, ownerOf(course), clock);
    expect(course.lessons).toEqual([]);
  });

  it('can be reordered', () => {
    const course = aPublishableCourse(anInstructor(), ['One', 'Two', 'Three']);
    const [one, two, three] = course.lessons.map((lesson) => lesson.id);
    course.reorderLessons({ lessonIds: [three!, one!, two!] }, ownerOf(course), clock);
    expect(course.lessons.map((lesson) => lesson.title)).toEqual(['Three', 'One', 'Two']);
    expect(course.pendingEvents).toEqual([
      event(course, 'LessonsReordered', { courseId: course.id, lessonIds: [three, one, two] }),
    ]);
  });

  it('record nothing when reordered into the order they have', () => {
    const course = aPublishableCourse();
    course.reorderLessons({ lessonIds: course.lessons.map((lesson) => lesson.id) }, ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([]);
  });

  it.each([
    ['leaves one out', (ids: string[]) => [ids[1]!]],
    ['names one twice', (ids: string[]) => [ids[0]!, ids[0]!]],
    ['names one the course does not have', (ids: string[]) => [ids[1]!, newId<'Lesson'>()]],
    ['adds an unknown one', (ids: string[]) => [...ids, newId<'Lesson'>()]],
  ])('refuse an order that %s', async (_label, order) => {
    const course = aPublishableCourse();
    const lessonIds = order(course.lessons.map((lesson) => lesson.id));
    await expectRefusal(
      course,
      () => course.reorderLessons({ lessonIds }, ownerOf(course), clock),
      'lesson-order-must-list-every-lesson-once',
      'INVALID_ARGUMENT',
    );
  });
});

describe('pricing', () => {
  it('sets a first price, recording no previous one', () => {
    const course = aDraftCourse();
    course.setPrice(Money.of(2900, 'USD'), ownerOf(course), clock);
    expect(course.price?.equals(Money.of(2900, 'USD'))).toBe(true);
    expect(course.pendingEvents).toEqual([
      event(course, 'CoursePriceChanged', {
        courseId: course.id,
        price: { amount: 2900, currency: 'USD' },
        previousPrice: null,
      }),
    ]);
  });

  it('changes a price, recording the previous one', () => {
    const course = aPublishedCourse();
    course.setPrice(Money.of(3900, 'EUR'), ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([
      event(course, 'CoursePriceChanged', {
        courseId: course.id,
        price: { amount: 3900, currency: 'EUR' },
        previousPrice: { amount: 4900, currency: 'EUR' },
      }),
    ]);
  });

  it('accepts zero: a free course', () => {
    const course = aDraftCourse();
    course.setPrice(Money.zero('EUR'), ownerOf(course), clock);
    expect(course.price).toEqual(Money.zero('EUR'));
  });

  it('records nothing when the price does not change', () => {
    const course = aPublishableCourse();
    course.setPrice(Money.of(4900, 'EUR'), ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([]);
  });

  it('refuses a negative price', async () => {
    const course = aDraftCourse();
    await expectRefusal(
      course,
      () => course.setPrice(Money.of(-1, 'EUR'), ownerOf(course), clock),
      'course-price-cannot-be-negative',
      'INVALID_ARGUMENT',
    );
  });

  it(`refuses a price above ${MAX_PRICE_IN_MINOR_UNITS} minor units`, async () => {
    const course = aDraftCourse();
    course.setPrice(Money.of(MAX_PRICE_IN_MINOR_UNITS, 'EUR'), ownerOf(course), clock);
    course.markSaved();
    await expectRefusal(
      course,
      () => course.setPrice(Money.of(MAX_PRICE_IN_MINOR_UNITS + 1, 'EUR'), ownerOf(course), clock),
      'course-price-cannot-exceed-maximum',
      'INVALID_ARGUMENT',
    );
  });

  it('may switch currency before the course was ever published', () => {
    const course = aPublishableCourse();
    course.setPrice(Money.of(4900, 'USD'), ownerOf(course), clock);
    expect(course.price?.currency).toBe('USD');
  });

  it('keeps the currency once the course has been published, even after unpublishing', async () => {
    const course = aPublishedCourse();
    course.unpublish(ownerOf(course), clock);
    course.markSaved();
    await expectRefusal(
      course,
      () => course.setPrice(Money.of(4900, 'USD'), ownerOf(course), clock),
      'course-currency-is-fixed-once-published',
      'RULE_VIOLATION',
    );
  });
});

describe('publishing', () => {
  it('puts the course in the catalog and records what a catalog reader needs', () => {
    const course = aPublishableCourse();
    course.publish(ownerOf(course), clock);
    expect(course.toSnapshot()).toMatchObject({
      status: 'published',
      publishedAt: new Date(LATER),
      firstPublishedAt: new Date(LATER),
    });
    expect(course.pendingEvents).toEqual([
      event(course, 'CoursePublished', {
        courseId: course.id,
        instructorId: course.instructorId,
        title: 'Domain-Driven Design in TypeScript',
        description: 'Aggregates, events and contracts, by example.',
        price: { amount: 4900, currency: 'EUR' },
        lessonCount: 2,
      }),
    ]);
  });

  it('is refused without lessons', async () => {
    const course = aDraftCourse();
    course.setPrice(Money.of(100, 'EUR'), ownerOf(course), clock);
    course.markSaved();
    const error = await expectRefusal(
      course,
      () => course.publish(ownerOf(course), clock),
      'course-without-lessons-cannot-be-published',
      'RULE_VIOLATION',
    );
    expect(error.details).toEqual({ courseId: course.id, lessonCount: 0 });
  });

  it('is refused without a price', async () => {
    const course = aDraftCourse();
    course.addLesson({ title: 'Intro' }, ownerOf(course), clock);
    course.markSaved();
    await expectRefusal(
      course,
      () => course.publish(ownerOf(course), clock),
      'course-without-price-cannot-be-published',
      'RULE_VIOLATION',
    );
  });

  it('changes nothing when the course is already published, so a retried publish is harmless', () => {
    const course = aPublishedCourse();
    course.publish(ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([]);
  });

  it('again after unpublishing keeps the date of first publication', () => {
    const course = aPublishedCourse();
    course.unpublish(ownerOf(course), clock);
    course.markSaved();
    const republished = new FixedClock('2026-05-01T00:00:00.000Z');
    course.publish(ownerOf(course), republished);
    expect(course.toSnapshot()).toMatchObject({
      publishedAt: new Date('2026-05-01T00:00:00.000Z'),
      firstPublishedAt: new Date(DRAFTED_AT),
    });
  });
});

describe('unpublishing', () => {
  it('returns the course to draft and records who did it', () => {
    const course = aPublishedCourse();
    course.unpublish(ownerOf(course), clock);
    expect(course).toMatchObject({ status: 'draft', publishedAt: null });
    expect(course.pendingEvents).toEqual([
      event(course, 'CourseUnpublished', { courseId: course.id, unpublishedBy: course.instructorId }),
    ]);
  });

  it('may be done by an admin, as moderation', () => {
    const course = aPublishedCourse();
    const admin = anAdmin();
    course.unpublish(admin, clock);
    expect(course.pendingEvents).toEqual([
      event(course, 'CourseUnpublished', { courseId: course.id, unpublishedBy: admin.userId }),
    ]);
  });

  it('changes nothing on a draft', () => {
    const course = aPublishableCourse();
    course.unpublish(ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([]);
  });

  it('is refused on an archived course', async () => {
    const course = anArchivedCourse();
    await expectRefusal(
      course,
      () => course.unpublish(ownerOf(course), clock),
      'archived-course-cannot-be-changed',
      'RULE_VIOLATION',
    );
  });
});

describe('archiving', () => {
  it('retires a draft for good', () => {
    const course = aDraftCourse();
    course.archive(ownerOf(course), clock);
    expect(course.status).toBe('archived');
    expect(course.pendingEvents).toEqual([
      event(course, 'CourseArchived', { courseId: course.id, archivedBy: course.instructorId }),
    ]);
  });

  it('withdraws a published course from the catalog first', () => {
    const course = aPublishedCourse();
    const admin = anAdmin();
    course.archive(admin, clock);
    expect(course).toMatchObject({ status: 'archived', publishedAt: null });
    expect(course.pendingEvents).toEqual([
      event(course, 'CourseUnpublished', { courseId: course.id, unpublishedBy: admin.userId }),
      event(course, 'CourseArchived', { courseId: course.id, archivedBy: admin.userId }),
    ]);
  });

  it('changes nothing when already archived', () => {
    const course = anArchivedCourse();
    course.archive(ownerOf(course), clock);
    expect(course.pendingEvents).toEqual([]);
  });
});

describe('a course restored from its snapshot', () => {
  it('behaves like the one that was saved, its state reachable only through the snapshot', () => {
    const saved = aPublishableCourse();
    const restored = Course.restore(saved.toSnapshot());

    // Only the id is an own property; the state, the version and the events are all `#` fields.
    expect(Object.keys(restored)).toEqual(['id']);
    expect(restored.toSnapshot()).toEqual(saved.toSnapshot());
    expect(restored.pendingEvents).toEqual([]);
    restored.publish(ownerOf(saved), clock);
    expect(restored.pendingEvents).toEqual([
      expect.objectContaining({ type: 'CoursePublished', aggregateId: saved.id, aggregateVersion: 2 }),
    ]);
  });
});

import { defineGlossary } from '@strata/shared-kernel';

/** The catalog context's ubiquitous language, as instructors and the catalog team speak it. */
export const catalogGlossary = defineGlossary({
  context: 'catalog',
  terms: [
    {
      term: 'Course',
      definition:
        'Something an instructor teaches and learners buy: a title, a description, an ordered list of lessons and a price. Each course has a permanent identifier.',
      avoid: ['class', 'program', 'product'],
      refs: [
        'Course',
        'Course.id',
        'CourseDrafted.courseId',
        'CourseDetailsEdited.courseId',
        'LessonAdded.courseId',
        'LessonRenamed.courseId',
        'LessonRemoved.courseId',
        'LessonsReordered.courseId',
        'CoursePriceChanged.courseId',
        'CoursePublished.courseId',
        'CourseUnpublished.courseId',
        'CourseArchived.courseId',
      ],
    },
    {
      term: 'Course version',
      definition:
        'How many changes a course has been through: 1 when drafted, one more with each saved change. An editor who saves from an older version is told the course changed meanwhile, instead of overwriting the other change.',
      avoid: ['revision', 'etag'],
      refs: ['Course.version'],
    },
    {
      term: 'Course owner',
      definition:
        'The instructor who drafted the course. Only they may change its content, price or publication, and only while they still have the instructor role.',
      avoid: ['author', 'creator', 'teacher'],
      refs: [
        'Course.instructorId',
        'CourseDrafted.instructorId',
        'CoursePublished.instructorId',
        'Course.findByInstructor',
        'Course.findByInstructor.instructorId',
      ],
    },
    {
      term: 'Draft',
      definition:
        'A course not (or no longer) in the catalog: only its owner sees it and works on it. Every course starts as a draft, and the platform records when it was started.',
      avoid: ['unpublished course', 'work in progress'],
      refs: ['Course.draft', 'CourseDrafted', 'Course.draftedAt'],
    },
    {
      term: 'Course title',
      definition: 'The name a course is listed and searched under: one line of 3 to 120 characters.',
      avoid: ['name', 'heading'],
      refs: [
        'Course.title',
        'Course.draft.title',
        'Course.editDetails.title',
        'CourseDrafted.title',
        'CourseDetailsEdited.title',
        'CoursePublished.title',
      ],
    },
    {
      term: 'Course description',
      definition:
        'What a learner reads about a course before buying it: up to 5000 characters, possibly several paragraphs. It may be empty while drafting.',
      avoid: ['summary', 'blurb'],
      refs: [
        'Course.description',
        'Course.draft.description',
        'Course.editDetails.description',
        'CourseDrafted.description',
        'CourseDetailsEdited.description',
        'CoursePublished.description',
      ],
    },
    {
      term: 'Editing details',
      definition:
        'The owner changing a course’s title, description or both. It can happen while the course is published; an archived course cannot be edited.',
      refs: ['Course.editDetails', 'CourseDetailsEdited'],
    },
    {
      term: 'Lesson',
      definition:
        'One unit of a course, in the place the course outline gives it. A course holds at most 200 lessons; each has its own identifier, which stays the same when it is renamed or moved.',
      avoid: ['chapter', 'module', 'section'],
      refs: [
        'Course.lessons',
        'LessonAdded.lessonId',
        'LessonRenamed.lessonId',
        'LessonRemoved.lessonId',
        'Course.renameLesson.lessonId',
        'Course.removeLesson.lessonId',
      ],
    },
    {
      term: 'Lesson title',
      definition: 'A lesson’s name in the course outline: one line of 1 to 120 characters.',
      refs: [
        'Course.addLesson.title',
        'Course.renameLesson.title',
        'LessonAdded.title',
        'LessonRenamed.title',
      ],
    },
    {
      term: 'Adding a lesson',
      definition: 'The owner putting a new lesson at the end of the course outline.',
      refs: ['Course.addLesson', 'LessonAdded'],
    },
    {
      term: 'Renaming a lesson',
      definition: 'The owner giving a lesson a new title; its place and identity stay.',
      refs: ['Course.renameLesson', 'LessonRenamed'],
    },
    {
      term: 'Removing a lesson',
      definition:
        'The owner taking a lesson out of the course; the lessons after it move up. A published course always keeps at least one lesson.',
      avoid: ['deleting a lesson'],
      refs: ['Course.removeLesson', 'LessonRemoved'],
    },
    {
      term: 'Lesson order',
      definition:
        'The sequence in which a course presents its lessons, first lesson at position 0. Reordering gives the whole new sequence, naming every lesson exactly once.',
      avoid: ['sort order', 'index'],
      refs: [
        'Course.reorderLessons',
        'LessonsReordered',
        'Course.reorderLessons.lessonIds',
        'LessonsReordered.lessonIds',
        'LessonAdded.position',
      ],
    },
    {
      term: 'Price',
      definition:
        'What a learner pays for a course: a whole number of the currency’s smallest unit (cents for EUR) and a three-letter currency code. Zero means free. Never negative, at most 1,000,000.00.',
      avoid: ['cost', 'fee', 'amount'],
      refs: ['Course.price', 'Course.setPrice.price', 'CoursePriceChanged.price', 'CoursePublished.price'],
    },
    {
      term: 'Price change',
      definition:
        'The owner setting a course’s price; the previous price is recorded, and there is none the first time. Once a course has been published its currency can no longer change, so sales stay comparable.',
      refs: ['Course.setPrice', 'CoursePriceChanged', 'CoursePriceChanged.previousPrice'],
    },
    {
      term: 'Course status',
      definition: 'Where a course stands: draft, published or archived.',
      avoid: ['state', 'visibility'],
      refs: ['Course.status'],
    },
    {
      term: 'Publishing',
      definition:
        'The owner putting a course in the catalog, where learners find and buy it. A course needs at least one lesson and a price to be published. The platform records when it was published and how many lessons it had.',
      avoid: ['going live', 'launching', 'releasing'],
      refs: ['Course.publish', 'CoursePublished', 'Course.publishedAt', 'CoursePublished.lessonCount'],
    },
    {
      term: 'Catalog',
      definition:
        'All published courses, which learners browse and search by words of the title or description.',
      avoid: ['store', 'marketplace', 'shop'],
      refs: ['Course.findPublished', 'Course.findPublished.text'],
    },
    {
      term: 'Unpublishing',
      definition:
        'Taking a course out of the catalog back to draft. Learners who bought it keep it. The owner may do it, and so may an admin as moderation; the platform records who did.',
      avoid: ['hiding', 'delisting'],
      refs: ['Course.unpublish', 'CourseUnpublished', 'CourseUnpublished.unpublishedBy'],
    },
    {
      term: 'Archiving',
      definition:
        'Retiring a course for good: it leaves the catalog and can never be edited or published again. The owner may do it, and so may an admin as moderation; the platform records who did.',
      avoid: ['deleting', 'closing'],
      refs: ['Course.archive', 'CourseArchived', 'CourseArchived.archivedBy'],
    },
  ],
});

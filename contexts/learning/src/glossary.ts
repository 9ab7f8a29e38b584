import { defineGlossary } from '@strata/shared-kernel';

/** The learning context's ubiquitous language, as learners, instructors and support speak it. */
export const learningGlossary = defineGlossary({
  context: 'learning',
  terms: [
    {
      term: 'Enrollment',
      definition:
        'A learner’s place in one course: whether they have it now, what gave it to them, and the lessons they completed. There is one per learner and course however often it is granted, revoked and granted again, and it has a permanent identifier.',
      avoid: ['subscription', 'seat'],
      refs: [
        'Enrollment',
        'Enrollment.id',
        'EnrollmentGranted.enrollmentId',
        'EnrollmentRevoked.enrollmentId',
        'LessonCompleted.enrollmentId',
        'CourseCompleted.enrollmentId',
        'Certificate.enrollmentId',
        'CertificateIssued.enrollmentId',
      ],
    },
    {
      term: 'Learner',
      definition:
        'The person enrolled in a course: the one who bought it or enrolled in it for free. Only they follow the enrollment (open its lessons, complete them); their courses and certificates are theirs to see, and an admin’s.',
      avoid: ['student', 'pupil'],
      refs: [
        'Enrollment.learnerId',
        'EnrollmentGranted.learnerId',
        'EnrollmentRevoked.learnerId',
        'LessonCompleted.learnerId',
        'CourseCompleted.learnerId',
        'Certificate.learnerId',
        'CertificateIssued.learnerId',
        'Enrollment.findByLearner.learnerId',
        'Certificate.findByLearner.learnerId',
      ],
    },
    {
      term: 'Course',
      definition:
        'A course of the catalog, as learning knows it: by its identifier, with its outline. Learning keeps what it needs of it from the catalog’s announcements, never from the catalog’s own records.',
      refs: [
        'Enrollment.courseId',
        'EnrollmentGranted.courseId',
        'EnrollmentRevoked.courseId',
        'LessonCompleted.courseId',
        'CourseCompleted.courseId',
        'Certificate.courseId',
        'CertificateIssued.courseId',
      ],
    },
    {
      term: 'Outline',
      definition:
        'A course’s lessons in the order the learner meets them, whether the course is in the catalog, and whether it is free: learning’s own record of what the catalog announced (course published, price changed, lesson added, removed or reordered, course unpublished or archived). Progress is measured against the outline as it is now.',
      avoid: ['syllabus', 'curriculum'],
      refs: ['CourseCompleted.lessonIds', 'LessonCompleted.lessonCount'],
    },
    {
      term: 'Enrollment status',
      definition:
        'Where an enrollment stands. Active: the learner has the course and may open its lessons. Revoked: the order that gave it was refunded; access ended and progress is kept. Withheld: learning heard of an order’s refund before its payment; the learner never had the course from it. A revoked or withheld enrollment becomes active when the learner gets the course again.',
      refs: ['Enrollment.status'],
    },
    {
      term: 'Enrollment source',
      definition:
        'What gave the learner the course most recently: a paid order (by ordering’s order identifier) or the course being free.',
      refs: ['Enrollment.source', 'EnrollmentGranted.source'],
    },
    {
      term: 'Granting an enrollment',
      definition:
        'The learner gets the course: when ordering announces that an order for it was paid, or when they enroll in a free course. It opens the enrollment, or makes a revoked or withheld one active again with its progress intact (a later purchase restores access). Granting an active enrollment changes nothing: the same payment announced twice grants once. An order once refunded never grants, however late its payment is heard of.',
      avoid: ['activation'],
      refs: ['EnrollmentGranted', 'Enrollment.grantedAt'],
    },
    {
      term: 'Enrolling in a free course',
      definition:
        'A learner taking a course priced at zero, with no order. Refused for a course not in the catalog and for a course with a price (that is bought). Enrolling again in a course one already has answers the same enrollment and changes nothing.',
      refs: ['Enrollment.enrollInFreeCourse', 'Enrollment.enrollInFreeCourse.courseId'],
    },
    {
      term: 'Revocation',
      definition:
        'Access to a course ending because the order that gave it was refunded. The enrollment and its progress are kept, and a later purchase grants it again. A refund of an order that is not what gives the learner the course now (a free enrollment, another order, an order whose payment learning never heard of) revokes nothing and announces nothing; the order is remembered so that its payment never grants.',
      avoid: ['unenrollment', 'cancellation'],
      refs: ['EnrollmentRevoked', 'Enrollment.revokedAt', 'EnrollmentRevoked.orderId'],
    },
    {
      term: 'Early refund',
      definition:
        'A refund learning hears of before the payment it refunds (ordering announces payments first, but a payment can be delayed or lost on the way). The learner’s enrollment in the course is opened withheld, or stays as it is if they have one, and the payment, if it comes, grants nothing.',
      refs: ['Enrollment.status'],
    },
    {
      term: 'Lesson',
      definition: 'One lesson of a course’s outline, by the catalog’s identifier.',
      refs: ['LessonCompleted.lessonId', 'Enrollment.completeLesson.lessonId'],
    },
    {
      term: 'Lesson access',
      definition:
        'Whether a learner may open the lessons of a course: only while their enrollment in it is active. Otherwise it is refused with the reason: not enrolled (they never had the course), or refunded (access ended with the refund of the order that gave it; their progress is kept).',
      refs: ['Enrollment.checkLessonAccess', 'Enrollment.checkLessonAccess.courseId'],
    },
    {
      term: 'Completing a lesson',
      definition:
        'The learner marking a lesson of the outline as done, while the enrollment is active. Completing it twice changes nothing. A lesson that is not in the outline is refused. A completed lesson stays completed even if it later leaves the outline.',
      avoid: ['finishing', 'checking off'],
      refs: ['Enrollment.completeLesson', 'LessonCompleted', 'Enrollment.completedLessonIds'],
    },
    {
      term: 'Progress',
      definition:
        'How far a learner is through a course: how many lessons of the outline as it is now they completed, of how many. A lesson added after the learner started shows as one more left; a lesson removed no longer counts.',
      refs: ['LessonCompleted.lessonsDone', 'LessonCompleted.lessonCount'],
    },
    {
      term: 'Course completion',
      definition:
        'Every lesson of the outline done: the course is completed, once, and a certificate is issued. It happens when the last lesson left is completed, or when the last lesson left is removed from the outline. A completed course stays completed whatever the outline becomes: lessons added later show as new, and do not take the completion or the certificate back.',
      avoid: ['graduation'],
      refs: ['CourseCompleted', 'Enrollment.completedAt', 'CourseCompleted.completedAt'],
    },
    {
      term: 'My courses',
      definition:
        'The courses a learner has or had (active and revoked enrollments, newest first), each with its progress. Only the learner and admins see them.',
      refs: ['Enrollment.findByLearner'],
    },
    {
      term: 'Learning statistics',
      definition:
        'For each course of an instructor: how many learners ever enrolled, how many have access now (active learners), how many completed it, and the completion rate (completions divided by enrollments). Only the instructor and admins see them.',
      refs: ['Enrollment.findStatsOfInstructor', 'Enrollment.findStatsOfInstructor.instructorId'],
    },
    {
      term: 'Certificate',
      definition:
        'Proof that a learner completed a course, issued once per enrollment when the course is completed. It is never taken back silently: not by a refund, not by a lesson added to the course later. Once it is issued, ordering refuses to refund the order the course was bought with.',
      avoid: ['diploma', 'badge'],
      refs: [
        'Certificate',
        'Certificate.id',
        'CertificateIssued',
        'CertificateIssued.certificateId',
        'Certificate.issuedAt',
        'CertificateIssued.issuedAt',
        'Certificate.findByLearner',
      ],
    },
    {
      term: 'Certificate code',
      definition:
        'A short code printed beside a certificate’s identifier, like 7K3M-Q9TX-4: eight symbols taken from the identifier and a check symbol, for a person to read, type or compare with the verification page. The check symbol catches a mistyped or swapped symbol before anything is looked up. The code is not an identifier on its own; the certificate’s identifier is.',
      refs: ['Certificate.code', 'CertificateIssued.code'],
    },
    {
      term: 'Verifying a certificate',
      definition:
        'Anyone, signed in or not, checking a certificate by its identifier: they are told its code, the learner, the course and when it was issued. An unknown identifier is not found.',
      refs: ['Certificate.verify'],
    },
    {
      term: 'Version',
      definition:
        'How many changes an enrollment or a certificate has been through: one more with each saved change.',
      refs: ['Enrollment.version', 'Certificate.version'],
    },
  ],
});

import {
  aggregate,
  command,
  creation,
  defineContract,
  finder,
  firstVersionEvents,
  query,
  z,
} from '@strata/shared-kernel';
import { CERTIFICATE_EVENT_PAYLOADS, CertificateCodeSchema } from './domain/certificate-events.ts';
import {
  ENROLLMENT_EVENT_PAYLOADS,
  EnrollmentSourceSchema,
  MAX_LESSONS_PER_OUTLINE,
} from './domain/enrollment-events.ts';
import { ENROLLMENT_STATUSES } from './domain/enrollment-status.ts';

/*
 * The learning context's published language. Who is acting travels in RPC metadata, never in an
 * input: the learner of a new enrollment is whoever enrolls. Granting from a paid order and
 * revoking on its refund are not methods: learning-service does them on ordering's events.
 * Event payload schemas are the domain's own (enrollment-events.ts, certificate-events.ts).
 */

const lessonCount = z.number().int().min(0).max(MAX_LESSONS_PER_OUTLINE);

export { EnrollmentSourceSchema as EnrollmentSource };

export const EnrollmentView = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  courseId: z.uuid(),
  status: z.enum(ENROLLMENT_STATUSES),
  source: EnrollmentSourceSchema,
  grantedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  completedLessonIds: z.array(z.uuid()),
  completedAt: z.iso.datetime().nullable(),
  version: z.number().int().min(0),
});

export type EnrollmentView = z.infer<typeof EnrollmentView>;

/** One course in a learner's "my courses": where they stand and how far they are, against today's outline. */
export const LearnerCourse = z.object({
  enrollmentId: z.uuid(),
  courseId: z.uuid(),
  status: z.enum(ENROLLMENT_STATUSES),
  lessonCount,
  lessonsDone: lessonCount,
  completedAt: z.iso.datetime().nullable(),
  grantedAt: z.iso.datetime().nullable(),
});

export type LearnerCourse = z.infer<typeof LearnerCourse>;

/** One course's learning, for its instructor: enrollments ever, learners with access now, completions. */
export const CourseLearningStats = z.object({
  courseId: z.uuid(),
  enrollments: z.number().int().min(0),
  activeLearners: z.number().int().min(0),
  completions: z.number().int().min(0),
  /** completions ÷ enrollments, 0 when there are none. */
  completionRate: z.number().min(0).max(1),
});

export type CourseLearningStats = z.infer<typeof CourseLearningStats>;

export const CertificateView = z.object({
  id: z.uuid(),
  code: CertificateCodeSchema,
  learnerId: z.uuid(),
  courseId: z.uuid(),
  enrollmentId: z.uuid(),
  issuedAt: z.iso.datetime(),
  version: z.number().int().min(0),
});

export type CertificateView = z.infer<typeof CertificateView>;

/** What anyone checking a certificate by its id is told: who completed which course, and when. */
export const CertificateVerification = z.object({
  certificateId: z.uuid(),
  code: CertificateCodeSchema,
  learnerId: z.uuid(),
  courseId: z.uuid(),
  issuedAt: z.iso.datetime(),
});

export type CertificateVerification = z.infer<typeof CertificateVerification>;

export const learningContract = defineContract({
  context: 'learning',
  callPolicy: {
    // learning-service hosts learning alone, so it picks its own (ADR 0009). A learner completes
    // lessons of one enrollment in quick succession: hashing on its id keeps them in one process,
    // where its optimistic-version conflicts stay rare. "My courses" is read on every visit of the
    // learner app, hence the limit's size and hedged queries.
    balancing: 'consistent-hash',
    timeoutMs: 5_000,
    rateLimit: { ratePerSecond: 2_000, burst: 400 },
    hedgeQueries: true,
  },
  aggregates: {
    Enrollment: aggregate({
      id: z.uuid(),
      view: EnrollmentView,
      creations: {
        // Retry-safe by what it does: enrolling in a course one already has answers that enrollment.
        enrollInFreeCourse: creation({ input: z.object({ courseId: z.uuid() }) }),
      },
      commands: {
        completeLesson: command({ input: z.object({ lessonId: z.uuid() }), idempotent: true }),
      },
      queries: {
        findByLearner: finder({ input: z.object({ learnerId: z.uuid() }), item: LearnerCourse }),
        // The caller's enrollment in the course when its lessons are open to them (one item); refused
        // with `lessons-are-open-only-while-enrolled` and the reason (not-enrolled, refunded) otherwise.
        checkLessonAccess: finder({ input: z.object({ courseId: z.uuid() }) }),
        findStatsOfInstructor: finder({
          input: z.object({ instructorId: z.uuid() }),
          item: CourseLearningStats,
        }),
      },
      events: firstVersionEvents(ENROLLMENT_EVENT_PAYLOADS),
    }),
    Certificate: aggregate({
      id: z.uuid(),
      view: CertificateView,
      queries: {
        findByLearner: finder({ input: z.object({ learnerId: z.uuid() }) }),
        // Public: anyone holding the id may check it, no sign-in needed.
        verify: query({ input: z.object({}), output: CertificateVerification }),
      },
      events: firstVersionEvents(CERTIFICATE_EVENT_PAYLOADS),
    }),
  },
});

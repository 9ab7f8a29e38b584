import { describe, expect, it } from '@jest/globals';
import {
  checkGlossary,
  contractMethods,
  newId,
  type DomainEvent,
  type EventPayload,
} from '@strata/shared-kernel';
import { expectTypeOf } from 'expect-type';
import {
  Certificate,
  Enrollment,
  toCertificateVerification,
  toCertificateView,
  toEnrollmentView,
  type CertificateIssued,
  type CourseCompleted,
  type EnrollmentGranted,
  type LessonCompleted,
} from '@strata/learning';
import {
  CertificateVerification,
  CertificateView,
  EnrollmentView,
  learningContract,
} from '@strata/learning/contract';
import { learningGlossary } from '../src/glossary.ts';
import {
  aLearner,
  anEnrollmentFromOrder,
  anOutline,
  aRevokedEnrollment,
  clockAt,
  LATER,
  withLessonsDone,
} from './enrollment.mother.ts';

const { Enrollment: enrollmentSpec, Certificate: certificateSpec } = learningContract.aggregates;

/** Drives an enrollment and its certificate through every transition, keeping every event recorded. */
function everyEvent(): DomainEvent[] {
  const outline = anOutline();
  const learner = aLearner();
  const orderId = newId<'Order'>();
  const enrollment = Enrollment.grantFromOrder(
    { learnerId: learner.userId, courseId: outline.courseId, orderId },
    clockAt(LATER),
  );
  for (const lessonId of outline.lessonIds)
    enrollment.completeLesson(lessonId, outline, learner, clockAt(LATER));
  const completed = enrollment.pendingEvents.find((event) => event.type === 'CourseCompleted')!;
  const certificate = Certificate.issue(completed.payload as CourseCompleted, clockAt(LATER));
  enrollment.revokeForRefund(orderId, clockAt(LATER));
  return [...enrollment.pendingEvents, ...certificate.pendingEvents];
}

function payloadOf(method: string, input: unknown, id?: string) {
  const found = contractMethods(learningContract).get(method);
  if (!found) throw new Error(`the contract has no method ${method}`);
  return found.payload.safeParse(id === undefined ? { input } : { id, input });
}

describe('the learning contract', () => {
  it('declares every event the domain records, and the domain records every event it declares', () => {
    const types = new Set(everyEvent().map((recorded) => recorded.type));
    expect(types).toEqual(
      new Set([...Object.keys(enrollmentSpec.events), ...Object.keys(certificateSpec.events)]),
    );
  });

  it('accepts every recorded payload exactly as recorded', () => {
    const events = { ...enrollmentSpec.events, ...certificateSpec.events };
    for (const recorded of everyEvent()) {
      const schema = events[recorded.type as keyof typeof events].payload;
      expect(schema.parse(recorded.payload)).toEqual(recorded.payload);
    }
  });

  it('types each event payload once: the domain’s type is the contract’s', () => {
    expectTypeOf<
      EventPayload<typeof learningContract, 'EnrollmentGranted'>
    >().toEqualTypeOf<EnrollmentGranted>();
    expectTypeOf<EventPayload<typeof learningContract, 'LessonCompleted'>>().toEqualTypeOf<LessonCompleted>();
    expectTypeOf<
      EventPayload<typeof learningContract, 'CertificateIssued'>
    >().toEqualTypeOf<CertificateIssued>();
  });

  it('shows an enrollment as its view, active and revoked', () => {
    const outline = anOutline();
    const active = withLessonsDone(anEnrollmentFromOrder(aLearner(), outline), outline, [
      outline.lessonIds[0]!,
    ]);
    for (const enrollment of [active, aRevokedEnrollment()]) {
      const view = toEnrollmentView(enrollment);
      expect(EnrollmentView.parse(view)).toEqual(view);
    }
    expect(toEnrollmentView(active)).toMatchObject({
      status: 'active',
      completedLessonIds: [outline.lessonIds[0]],
    });
  });

  it('shows a certificate to its learner and to anyone verifying it', () => {
    const certificate = Certificate.issue(
      everyEvent().find((event) => event.type === 'CourseCompleted')!.payload as CourseCompleted,
      clockAt(LATER),
    );
    certificate.markSaved();
    expect(CertificateView.parse(toCertificateView(certificate))).toEqual(toCertificateView(certificate));
    const verification = toCertificateVerification(certificate);
    expect(CertificateVerification.parse(verification)).toEqual(verification);
    expect(verification).not.toHaveProperty('version');
  });

  it('takes a course to enroll in and a lesson to complete, refusing what is not an id', () => {
    const id = '0190d5a2-7b3c-7def-8123-456789abcdef';
    expect(payloadOf('Enrollment.enrollInFreeCourse', { courseId: id }).success).toBe(true);
    expect(payloadOf('Enrollment.enrollInFreeCourse', { courseId: 'nope' }).success).toBe(false);
    expect(payloadOf('Enrollment.completeLesson', { lessonId: id }, id).success).toBe(true);
    expect(payloadOf('Enrollment.completeLesson', {}, id).success).toBe(false);
    expect(payloadOf('Certificate.verify', {}, id).success).toBe(true);
  });

  it('declares completing a lesson idempotent, so it is retried freely', () => {
    expect(enrollmentSpec.commands.completeLesson.idempotent).toBe(true);
  });

  it('has a glossary term for every element', () => {
    expect(checkGlossary(learningContract, learningGlossary)).toEqual([]);
  });
});

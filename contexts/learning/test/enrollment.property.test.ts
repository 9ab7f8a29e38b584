import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FixedClock } from '@strata/shared-kernel';
import { Enrollment, type CourseOutline } from '@strata/learning';

/*
 * Whatever ordering's and the learner's inputs do — arrive twice, arrive late, interleave — the
 * enrollment ends in the same state as the de-duplicated stream in its original order, and the
 * course is completed exactly once. The inputs are what the data service feeds the aggregate: a
 * grant from an order's payment, a revocation from its refund, a lesson completed by the learner.
 */

const LEARNER = { userId: '0190d5a2-7b3c-7def-8123-0000000000bb', roles: ['learner'] };
const COURSE = '0190d5a2-7b3c-7def-8123-0000000000cc';
const LESSONS = [1, 2, 3, 4].map((n) => `0190d5a2-7b3c-7def-8123-00000000010${n}`);
const ORDERS = [1, 2, 3].map((n) => `0190d5a2-7b3c-7def-8123-00000000020${n}`);
const outline: CourseOutline = { courseId: COURSE, lessonIds: LESSONS, published: true, free: false };
const clock = new FixedClock('2026-05-04T10:00:00.000Z');

type Input =
  | { readonly kind: 'paid'; readonly orderId: string }
  | { readonly kind: 'refunded'; readonly orderId: string }
  | { readonly kind: 'complete'; readonly lessonId: string };

const orderId = fc.constantFrom(...ORDERS);
const input: fc.Arbitrary<Input> = fc.oneof(
  fc.record({ kind: fc.constant('paid' as const), orderId }),
  fc.record({ kind: fc.constant('refunded' as const), orderId }),
  fc.record({ kind: fc.constant('complete' as const), lessonId: fc.constantFrom(...LESSONS) }),
);

/** Feeds inputs as the data service would: the first grant or early refund opens the enrollment. */
function run(inputs: readonly Input[]): { enrollment: Enrollment | null; events: string[] } {
  let enrollment: Enrollment | null = null;
  const events: string[] = [];
  for (const next of inputs) {
    if (next.kind === 'paid') {
      const facts = { learnerId: LEARNER.userId, courseId: COURSE, orderId: next.orderId };
      if (enrollment === null)
        enrollment = Enrollment.grantFromOrder(facts, clock, '0190d5a2-7b3c-7def-8123-0000000000ee' as never);
      else enrollment.grantAgainFromOrder(next.orderId, clock);
    } else if (next.kind === 'refunded') {
      const facts = { learnerId: LEARNER.userId, courseId: COURSE, orderId: next.orderId };
      if (enrollment === null)
        enrollment = Enrollment.withholdForEarlyRefund(
          facts,
          '0190d5a2-7b3c-7def-8123-0000000000ee' as never,
        );
      else enrollment.revokeForRefund(next.orderId, clock);
    } else if (enrollment?.status === 'active') {
      // The learner can only complete lessons while the course is open to them (else refused, nothing changes).
      enrollment.completeLesson(next.lessonId, outline, LEARNER, clock);
    }
    if (enrollment !== null) {
      events.push(...enrollment.pendingEvents.map((event) => event.type));
      enrollment.markSaved();
    }
  }
  return { enrollment, events };
}

/** ordering's events reach learning through an inbox, at least once; the learner's requests do not. */
const isOrderingEvent = (next: Input): boolean => next.kind !== 'complete';

/** Each of ordering's events once, at its first place: what an inbox that drops duplicates delivers. */
function deduplicated(inputs: readonly Input[]): Input[] {
  const seen = new Set<string>();
  return inputs.filter((next) => {
    if (!isOrderingEvent(next)) return true;
    const key = JSON.stringify(next);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A stream with some of ordering's events delivered again, each copy somewhere after its original. */
const withRedeliveries = fc.array(input, { maxLength: 25 }).chain((inputs) =>
  fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 15 }).map((copies) => {
    const events = inputs.filter(isOrderingEvent);
    const delivered = [...inputs];
    for (const [which, where] of copies) {
      if (events.length === 0) break;
      const original = events[which % events.length]!;
      // The same object: indexOf finds the original delivery, which every copy follows.
      const first = delivered.indexOf(original);
      delivered.splice(first + 1 + (where % (delivered.length - first)), 0, original);
    }
    return { inputs, delivered };
  }),
);

const stateOf = (enrollment: Enrollment | null) => {
  if (enrollment === null) return null;
  const { version: _version, ...state } = enrollment.toSnapshot();
  return state;
};

describe('an enrollment under repeated and late events', () => {
  it('ends as the de-duplicated stream in order leaves it, with the same events', () => {
    fc.assert(
      fc.property(withRedeliveries, ({ inputs, delivered }) => {
        const once = run(deduplicated(inputs));
        const repeated = run(delivered);
        expect(stateOf(repeated.enrollment)).toEqual(stateOf(once.enrollment));
        expect(repeated.events).toEqual(once.events);
      }),
    );
  });

  it('completes the course exactly once, when every lesson was done while enrolled', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), (inputs) => {
        const { enrollment, events } = run(inputs);
        const completions = events.filter((type) => type === 'CourseCompleted').length;
        const done = new Set(enrollment?.completedLessonIds ?? []);
        expect(completions).toBe(LESSONS.every((lessonId) => done.has(lessonId)) ? 1 : 0);
        expect(enrollment?.completedAt !== null && enrollment !== null).toBe(completions === 1);
      }),
    );
  });

  it('never gives access through an order once its refund was seen', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), (inputs) => {
        const { enrollment } = run(inputs);
        if (enrollment === null || enrollment.status !== 'active') return;
        const source = enrollment.source;
        if (source.kind !== 'order') return;
        const refundedAt = inputs.findIndex(
          (next) => next.kind === 'refunded' && next.orderId === source.orderId,
        );
        expect(refundedAt).toBe(-1);
      }),
    );
  });

  it('keeps every completed lesson whatever grants and refunds come after', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), fc.array(input, { maxLength: 20 }), (first, then) => {
        const before = run(first).enrollment?.completedLessonIds ?? [];
        const after = run([...first, ...then]).enrollment?.completedLessonIds ?? [];
        expect(after.slice(0, before.length)).toEqual(before);
      }),
    );
  });
});

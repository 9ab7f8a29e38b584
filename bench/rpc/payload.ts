import { z } from '@strata/shared-kernel';

/**
 * What every peer carries both ways: a course draft of about 1 KB, shaped like the platform's
 * real traffic (ids, strings, integers, a nested list) rather than one opaque blob, so that the
 * serializers and validators do representative work.
 */
export const courseDraftSchema = z.object({
  id: z.uuid(),
  instructorId: z.uuid(),
  title: z.string().min(1).max(200),
  description: z.string().max(2000),
  priceMinor: z.number().int().nonnegative(),
  currency: z.string().length(3),
  tags: z.array(z.string().min(1)).max(20),
  lessons: z
    .array(
      z.object({
        id: z.uuid(),
        title: z.string().min(1).max(200),
        durationMinutes: z.number().int().positive(),
      }),
    )
    .max(100),
});

export type CourseDraft = z.infer<typeof courseDraftSchema>;

export function makeCourseDraft(): CourseDraft {
  return {
    id: '0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
    instructorId: '0193a3c4-5e6f-7a8b-9c0d-aaaabbbbcccc',
    title: 'Domain-driven design with TypeScript, from monolith to aggregates',
    description:
      'Split a Django-style monolith into bounded contexts, model aggregates with their invariants, ' +
      'publish domain events through an outbox, and expose only aggregate-root methods over typed RPC. ' +
      'Every lesson ends with an exercise and a short quiz.',
    priceMinor: 4900,
    currency: 'EUR',
    tags: ['ddd', 'typescript', 'architecture', 'rpc', 'events'],
    lessons: Array.from({ length: 4 }, (_, index) => ({
      id: `0193a3c4-5e6f-7a8b-9c0d-00000000000${index}`,
      title: `Lesson ${index + 1}: aggregates, invariants and consistency boundaries`,
      durationMinutes: 12 + index,
    })),
  };
}

/** The answer is the validated draft itself: cheap to check on the client and the same size both ways. */
export function isEchoOf(sent: CourseDraft, answer: unknown): boolean {
  const received = answer as Partial<CourseDraft> | null | undefined;
  return received?.id === sent.id && received.lessons?.length === sent.lessons.length;
}

/** A draft every validating server must refuse: a negative price and a lesson without a title. */
export function makeInvalidCourseDraft(): CourseDraft {
  const draft = makeCourseDraft();
  return { ...draft, priceMinor: -1, lessons: [{ ...draft.lessons[0]!, title: '' }] };
}

import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { learningContract } from '@strata/learning/contract';
import { certificateRecordSchema } from './offer-record.ts';

const { CertificateIssued } = learningContract.aggregates.Certificate.events;

/**
 * Ordering keeps learning's certificates from CertificateIssued, through learning's published
 * language alone, in the inbox's transaction: a refund of an order with a certified course is
 * refused from then on (standingOf reads `ordering_certificates`). An upsert on (learner, course),
 * so a redelivery or a replay writes the same row.
 */
async function keepCertificate(envelope: EventEnvelope, em: SqlEntityManager): Promise<void> {
  const issued = CertificateIssued.payload.parse(envelope.payload);
  await em.upsert(certificateRecordSchema, {
    learnerId: issued.learnerId,
    courseId: issued.courseId,
    issuedAt: new Date(issued.issuedAt),
  });
}

/** The handler of learning's event ordering keeps its certificates from. */
export function learningCertificateHandlers(): Record<string, EventHandler<SqlEntityManager>> {
  return { CertificateIssued: keepCertificate };
}

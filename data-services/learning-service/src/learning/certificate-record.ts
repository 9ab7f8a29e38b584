import { Certificate, type CertificateId } from '@strata/learning';
import { aggregateMapping, recordSchema } from '@strata/persistence';

/** A certificate as the `certificates` table holds it; it never changes once issued. */
export interface CertificateRecord {
  id: string;
  version: number;
  learnerId: string;
  courseId: string;
  enrollmentId: string;
  issuedAt: Date;
}

/*
 * One certificate per enrollment (unique enrollment_id): CourseCompleted delivered twice, or
 * replayed, issues one; a racing second issue meets the index and its inbox transaction is
 * retried, finding the first. One per learner and course besides (there is one enrollment per
 * learner and course): the store says so too. (learner_id, id) pages a learner's certificates,
 * newest first by their time-ordered id.
 */
export const certificateRecordSchema = recordSchema<CertificateRecord>({
  name: 'CertificateRecord',
  tableName: 'certificates',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    learnerId: { type: 'string', length: 36 },
    courseId: { type: 'string', length: 36 },
    enrollmentId: { type: 'string', length: 36 },
    issuedAt: { type: 'datetime' },
  },
  uniques: [
    { name: 'certificates_enrollment_id', properties: ['enrollmentId'] },
    { name: 'certificates_learner_course', properties: ['learnerId', 'courseId'] },
  ],
  indexes: [{ name: 'certificates_learner_id', properties: ['learnerId', 'id'] }],
});

export function toCertificate(record: CertificateRecord): Certificate {
  return Certificate.restore({
    id: record.id as CertificateId,
    version: record.version,
    learnerId: record.learnerId,
    courseId: record.courseId,
    enrollmentId: record.enrollmentId,
    issuedAt: new Date(record.issuedAt),
  });
}

export function toCertificateRecord(certificate: Certificate): CertificateRecord {
  const snapshot = certificate.toSnapshot();
  return {
    id: snapshot.id,
    version: snapshot.version,
    learnerId: snapshot.learnerId,
    courseId: snapshot.courseId,
    enrollmentId: snapshot.enrollmentId,
    issuedAt: snapshot.issuedAt,
  };
}

export const certificateStorage = aggregateMapping({
  schema: certificateRecordSchema,
  toAggregate: toCertificate,
  toRecord: toCertificateRecord,
});

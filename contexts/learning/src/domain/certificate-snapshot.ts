import type { CertificateId } from './certificate-id.ts';

/** Everything a certificate is: it never changes once issued (its code is derived from its id). */
export interface CertificateSnapshot {
  readonly id: CertificateId;
  /** The version as persisted (see AggregateRoot). */
  readonly version: number;
  readonly learnerId: string;
  readonly courseId: string;
  readonly enrollmentId: string;
  readonly issuedAt: Date;
}

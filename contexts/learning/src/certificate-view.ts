import type { CertificateVerification, CertificateView } from './contract.ts';
import type { Certificate } from './domain/certificate.ts';

/** What the contract shows of a certificate to its learner. */
export function toCertificateView(certificate: Certificate): CertificateView {
  return {
    id: certificate.id,
    code: certificate.code,
    learnerId: certificate.learnerId,
    courseId: certificate.courseId,
    enrollmentId: certificate.enrollmentId,
    issuedAt: certificate.issuedAt.toISOString(),
    version: certificate.version,
  };
}

/** What anyone checking the certificate is told. */
export function toCertificateVerification(certificate: Certificate): CertificateVerification {
  return {
    certificateId: certificate.id,
    code: certificate.code,
    learnerId: certificate.learnerId,
    courseId: certificate.courseId,
    issuedAt: certificate.issuedAt.toISOString(),
  };
}

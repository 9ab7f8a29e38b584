import { z } from '@strata/shared-kernel';

/*
 * What a Certificate announces, written once (the contract publishes this schema). Ordering keeps
 * the learner and the course from it, and refuses a refund of an order with a certified course.
 */

/** `7K3M-Q9TX-4`: eight Crockford base-32 symbols and a check symbol (see certificate-code.ts). */
export const CertificateCodeSchema = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z*~$=U]$/, 'a code like 7K3M-Q9TX-4');

export const CERTIFICATE_EVENT_PAYLOADS = {
  CertificateIssued: z.object({
    certificateId: z.uuid(),
    code: CertificateCodeSchema,
    learnerId: z.uuid(),
    courseId: z.uuid(),
    enrollmentId: z.uuid(),
    issuedAt: z.iso.datetime(),
  }),
};

export type CertificateEventPayloads = {
  readonly [T in keyof typeof CERTIFICATE_EVENT_PAYLOADS]: z.output<(typeof CERTIFICATE_EVENT_PAYLOADS)[T]>;
};

export type CertificateEventType = keyof CertificateEventPayloads;

export type CertificateIssued = CertificateEventPayloads['CertificateIssued'];

import type { Id } from '@strata/shared-kernel';

export type CertificateId = Id<'Certificate'>;

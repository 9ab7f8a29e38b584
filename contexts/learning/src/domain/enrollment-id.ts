import type { Id } from '@strata/shared-kernel';

export type EnrollmentId = Id<'Enrollment'>;

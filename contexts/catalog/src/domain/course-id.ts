import type { Id } from '@strata/shared-kernel';

export type CourseId = Id<'Course'>;

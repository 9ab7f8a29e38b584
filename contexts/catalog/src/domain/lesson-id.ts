import type { Id } from '@strata/shared-kernel';

export type LessonId = Id<'Lesson'>;

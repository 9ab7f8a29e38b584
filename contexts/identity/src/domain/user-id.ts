import type { Id } from '@strata/shared-kernel';

export type UserId = Id<'User'>;

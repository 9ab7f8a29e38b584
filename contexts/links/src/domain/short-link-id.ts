import type { Id } from '@strata/shared-kernel';

export type ShortLinkId = Id<'ShortLink'>;

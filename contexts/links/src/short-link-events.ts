import { z } from '@strata/shared-kernel';
import { SLUG_KINDS } from './domain/short-link-status.ts';
import { maxVisits, slug, targetUrl } from './link-fields.ts';

// What a ShortLink announces, written once: the contract publishes these schemas and the
// aggregate's payload types are inferred from them. Every payload names the link's slug as well
// as its id, so a redirect cache keyed by slug drops or refreshes its entry from the event alone.

export const shortLinkEventPayloads = {
  ShortLinkCreated: z.object({
    linkId: z.uuid(),
    slug,
    slugKind: z.enum(SLUG_KINDS),
    targetUrl,
    ownerId: z.uuid(),
    expiresAt: z.iso.datetime().nullable(),
    maxVisits: maxVisits.nullable(),
  }),
  ShortLinkDisabled: z.object({ linkId: z.uuid(), slug, disabledBy: z.uuid() }),
  ShortLinkEnabled: z.object({ linkId: z.uuid(), slug, enabledBy: z.uuid() }),
  ShortLinkExpired: z.object({ linkId: z.uuid(), slug, expiresAt: z.iso.datetime() }),
};

export type ShortLinkEventPayloads = {
  readonly [TType in keyof typeof shortLinkEventPayloads]: z.output<(typeof shortLinkEventPayloads)[TType]>;
};

export type ShortLinkEventType = keyof ShortLinkEventPayloads;

export type ShortLinkCreated = ShortLinkEventPayloads['ShortLinkCreated'];
export type ShortLinkDisabled = ShortLinkEventPayloads['ShortLinkDisabled'];
export type ShortLinkEnabled = ShortLinkEventPayloads['ShortLinkEnabled'];
export type ShortLinkExpired = ShortLinkEventPayloads['ShortLinkExpired'];

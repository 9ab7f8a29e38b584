import { z } from '@strata/shared-kernel';

/** engagement-service's own variables, read with the platform's (see runDataService). */
export const linksEnvShape = {
  /** The host short links are served on; a link to it is refused (a link to a link). */
  STRATA_SHORT_DOMAIN: z.string().min(1).default('strata.link'),
  /** How often links past their expiry are recorded as expired (ShortLinkExpired). */
  STRATA_LINK_EXPIRY_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
};

export function linksOptionsOf(env: {
  STRATA_SHORT_DOMAIN: string;
  STRATA_LINK_EXPIRY_SWEEP_SECONDS: number;
}) {
  return {
    shortDomain: env.STRATA_SHORT_DOMAIN,
    expirySweepEveryMs: env.STRATA_LINK_EXPIRY_SWEEP_SECONDS * 1_000,
  };
}

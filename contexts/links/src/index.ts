export type { Actor } from '@strata/shared-kernel';
export {
  GONE_REASONS,
  resolveLink,
  type GoneReason,
  type LinkResolution,
  type ResolvableLink,
} from './domain/link-resolution.ts';
export { linkPolicy, type LinkPolicy } from './domain/link-policy.ts';
export type { RandomSource } from './domain/random-source.ts';
export { MAX_REFERRER_HOST_LENGTH, referrerHostOf } from './domain/referrer-host.ts';
export { isBotUserAgent, userAgentFamilyOf } from './domain/user-agent.ts';
export { ShortLink, type ShortLinkContext, type ShortLinkRequest } from './domain/short-link.ts';
export type { ShortLinkId } from './domain/short-link-id.ts';
export {
  expiredShortLinkCannotBeEnabled,
  maxVisitsMustBeAtLeastOne,
  maxVisitsMustNotExceedTheLimit,
  MAX_VISITS_LIMIT,
  onlyItsOwnerOrAnAdminMayChangeAShortLink,
  shortLinkCannotExpireBeforeItsExpiry,
  shortLinkExpiryCannotBeInThePast,
} from './domain/short-link-rules.ts';
export type { ShortLinkSnapshot } from './domain/short-link-snapshot.ts';
export {
  SHORT_LINK_STATUSES,
  SLUG_KINDS,
  type ShortLinkStatus,
  type SlugKind,
} from './domain/short-link-status.ts';
export { GENERATED_SLUG_ALPHABET, GENERATED_SLUG_LENGTH, MAX_SLUG_LENGTH, Slug } from './domain/slug.ts';
export {
  CUSTOM_SLUG_LENGTH,
  customSlugCannotBeReserved,
  customSlugCannotStartOrEndWithAHyphen,
  customSlugLengthMustBeWithinBounds,
  customSlugMayUseOnlyLettersDigitsAndHyphens,
  customSlugMustNotBeTaken,
  customSlugRefusal,
  RESERVED_SLUGS,
} from './domain/slug-rules.ts';
export { judgeTargetUrl, TargetUrl, type TargetUrlJudgement } from './domain/target-url.ts';
export {
  MAX_TARGET_URL_LENGTH,
  TARGET_URL_SCHEMES,
  targetUrlCannotCarryCredentials,
  targetUrlCannotExceedMaxLength,
  targetUrlCannotPointAtTheShortDomain,
  targetUrlMustBeAnAbsoluteUrl,
  targetUrlMustUseHttpOrHttps,
} from './domain/target-url-rules.ts';
export { customSlug, maxVisits, slug, slugKey, targetUrl, targetUrlField } from './link-fields.ts';
export {
  HourlyLinkVisits,
  LinkVisitStats,
  MAX_LINKS_PER_STATS_REQUEST,
  NO_REFERRER,
  OTHER_REFERRER_HOSTS,
} from './link-visit-stats.ts';
export {
  linkVisitPayloads,
  MAX_VISITS_PER_EVENT,
  USER_AGENT_FAMILIES,
  visitsOf,
  type LinkVisited,
  type LinkVisitsRecorded,
  type UserAgentFamily,
} from './link-visited.ts';
export type * from './short-link-events.ts';
export { shortLinkEventPayloads } from './short-link-events.ts';
export {
  maySeeLinkOf,
  maySeeLinksOf,
  REDIRECT_ROLE,
  type LinksQueries,
  type OwnerLinksQuery,
  type PageRequest,
} from './links-queries.ts';
export { resolvableLinkOf, toShortLinkView } from './short-link-view.ts';
export { linksGlossary } from './glossary.ts';

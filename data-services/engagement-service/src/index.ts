export {
  createEngagementService,
  ENGAGEMENT_SERVICE,
  engagementMapping,
  type EngagementService,
  type EngagementServiceOptions,
} from './create-engagement-service.ts';
export { linksEnvShape, linksOptionsOf } from './links-env.ts';
export {
  LINK_REDIRECT,
  startDistributedLinkRedirect,
  startEmbeddedLinkRedirect,
  type RunningLinkRedirect,
} from './links/redirect/link-redirect.ts';

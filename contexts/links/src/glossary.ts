import { defineGlossary } from '@strata/shared-kernel';

/** The links context's ubiquitous language, as learners, instructors running campaigns and support speak it. */
export const linksGlossary = defineGlossary({
  context: 'links',
  terms: [
    {
      term: 'Short link',
      definition:
        'A short address on the platform’s short domain (strata.link/<slug>) that sends whoever visits it on to a target URL: a course page, a certificate, a campaign’s landing page. Each short link has a permanent identifier besides its slug.',
      avoid: ['short url', 'tiny url', 'alias'],
      refs: [
        'ShortLink',
        'ShortLink.id',
        'ShortLinkCreated.linkId',
        'ShortLinkDisabled.linkId',
        'ShortLinkEnabled.linkId',
        'ShortLinkExpired.linkId',
        'LinkVisited.linkId',
        'LinkVisitsRecorded.linkId',
      ],
    },
    {
      term: 'Short link version',
      definition:
        'How many changes a short link has been through: 1 when created, one more with each saved change. Visits do not change it.',
      avoid: ['revision'],
      refs: ['ShortLink.version'],
    },
    {
      term: 'Slug',
      definition:
        'The last part of a short link’s address, after the short domain. Slugs are case-insensitive: they are kept in lower case, and Spring-Sale and spring-sale are the same slug. One slug belongs to one short link, for good.',
      avoid: ['keyword', 'short code'],
      refs: [
        'ShortLink.slug',
        'ShortLinkCreated.slug',
        'ShortLinkDisabled.slug',
        'ShortLinkEnabled.slug',
        'ShortLinkExpired.slug',
        'LinkVisited.slug',
        'LinkVisitsRecorded.slug',
      ],
    },
    {
      term: 'Custom slug',
      definition:
        'A slug the owner chooses, such as spring-sale: 3 to 40 letters a to z, digits and hyphens, starting and ending with a letter or a digit. Words the platform uses itself (api, admin, login, …) are reserved, and a slug already taken is refused.',
      avoid: ['vanity url'],
      refs: ['ShortLink.create.slug'],
    },
    {
      term: 'Generated slug',
      definition:
        'A slug the platform makes up when the owner chooses none: 12 characters of digits and lower-case letters without i, l, o and u, drawn at random, so that guessing other people’s links is hopeless.',
      refs: ['ShortLink.slugKind', 'ShortLinkCreated.slugKind'],
    },
    {
      term: 'Target URL',
      definition:
        'Where a short link sends its visitors: a full http or https address of at most 2048 characters, with no user name or password in it and not on the short domain itself. It is kept as a browser would write it.',
      avoid: ['destination', 'long url'],
      refs: ['ShortLink.targetUrl', 'ShortLink.create.targetUrl', 'ShortLinkCreated.targetUrl'],
    },
    {
      term: 'Link owner',
      definition:
        'The person who created a short link. They, and admins, may disable and enable it and list it; nobody else may.',
      avoid: ['creator', 'author'],
      refs: [
        'ShortLink.ownerId',
        'ShortLinkCreated.ownerId',
        'ShortLink.findByOwner',
        'ShortLink.findByOwner.ownerId',
        'ShortLink.findByOwner.targetUrl',
      ],
    },
    {
      term: 'Creating a short link',
      definition:
        'Someone signed in making a short link to a target URL, with a custom slug or a generated one, and optionally an expiry and a maximum number of visits. Nothing is half-created: a refused request leaves no link behind. The platform records when it was created.',
      refs: ['ShortLink.create', 'ShortLinkCreated', 'ShortLink.createdAt'],
    },
    {
      term: 'Link status',
      definition:
        'Where a short link stands: active, disabled or expired. Being used up is not a status: it follows from the visits counted so far.',
      avoid: ['state'],
      refs: ['ShortLink.status'],
    },
    {
      term: 'Expiry',
      definition:
        'The moment from which a short link no longer redirects; optional, and later than the moment the link is created. From then on a visit finds the link gone.',
      avoid: ['ttl'],
      refs: [
        'ShortLink.expiresAt',
        'ShortLink.create.expiresAt',
        'ShortLinkCreated.expiresAt',
        'ShortLinkExpired.expiresAt',
      ],
    },
    {
      term: 'Expiring',
      definition:
        'The platform recording that a short link’s expiry has passed. It happens no earlier than the expiry, and it is final: an expired link cannot be enabled again.',
      refs: ['ShortLinkExpired', 'ShortLink.expiredAt'],
    },
    {
      term: 'Maximum visits',
      definition:
        'How many visits a short link redirects at most; optional, a whole number of at least 1. The visit after the last allowed one finds the link used up, however many visitors arrive at the same moment.',
      avoid: ['quota', 'click limit'],
      refs: ['ShortLink.maxVisits', 'ShortLink.create.maxVisits', 'ShortLinkCreated.maxVisits'],
    },
    {
      term: 'Disabling',
      definition:
        'The owner, or an admin, stopping a short link: visits find it gone until it is enabled again. The platform records who disabled it and when. Disabling a disabled or expired link changes nothing.',
      avoid: ['pausing', 'deactivating'],
      refs: ['ShortLink.disable', 'ShortLinkDisabled', 'ShortLinkDisabled.disabledBy', 'ShortLink.disabled'],
    },
    {
      term: 'Enabling',
      definition:
        'The owner, or an admin, letting a disabled short link redirect again, provided it has not expired. The platform records who enabled it.',
      avoid: ['resuming', 'reactivating'],
      refs: ['ShortLink.enable', 'ShortLinkEnabled', 'ShortLinkEnabled.enabledBy'],
    },
    {
      term: 'Finding a link by its slug',
      definition:
        'Looking up the short link a slug belongs to, in any case. The redirect path does it when it meets a slug it does not hold yet; the owner and admins may do it too.',
      refs: ['ShortLink.findBySlug', 'ShortLink.findBySlug.slug'],
    },
    {
      term: 'Visit',
      definition:
        'Someone following a short link that redirected them. Each visit has its own identifier, so a visit reported twice counts once, and the moment it happened. Visits are reported many at a time, a link’s visits together; each still counts on its own.',
      avoid: ['click', 'hit'],
      refs: [
        'LinkVisited',
        'LinkVisited.visitId',
        'LinkVisited.visitedAt',
        'LinkVisitsRecorded',
        'LinkVisitsRecorded.visits',
      ],
    },
    {
      term: 'Referrer host',
      definition:
        'The site a visitor came from, by its host name only (never the page or its query), when their browser said.',
      refs: ['LinkVisited.referrerHost'],
    },
    {
      term: 'Browser family',
      definition:
        'Which kind of browser made a visit (Chrome, Edge, Firefox, Safari, Opera, Samsung Internet, or other), for the owner’s statistics.',
      avoid: ['user agent string'],
      refs: ['LinkVisited.userAgentFamily'],
    },
    {
      term: 'Bot visit',
      definition:
        'A visit made by a program (a link preview, a crawler) rather than a person. Statistics show bot visits apart from people’s.',
      refs: ['LinkVisited.bot'],
    },
    {
      term: 'Visitor fingerprint',
      definition:
        'A one-way, keyed digest standing for who visited, never their address, so statistics can estimate how many different people visited a link without knowing who they are.',
      avoid: ['ip address'],
      refs: ['LinkVisited.visitorHash'],
    },
    {
      term: 'Visit statistics',
      definition:
        'What a link’s owner sees of its visits, hour by hour (UTC): people’s visits, bot visits apart, an estimate of how many different people visited, where they came from (referrer hosts) and with which browsers. Built from the visits as they are reported, each counted once; they follow the redirects by a few seconds.',
      avoid: ['analytics', 'clicks'],
      refs: [
        'ShortLink.findVisitStats',
        'ShortLink.findVisitStats.linkIds',
        'ShortLink.findVisitStats.since',
      ],
    },
    {
      term: 'Unique visitors',
      definition:
        'An estimate of how many different people visited a link, from their visitor fingerprints, within a few per cent. Over several hours it is estimated again for the whole span, not added up hour by hour: someone visiting every hour is one visitor.',
      avoid: ['users', 'reach'],
      refs: [],
    },
  ],
});

import { defineGlossary } from '@strata/shared-kernel';

/** The notification context's ubiquitous language, as learners and the people supporting them speak it. */
export const notificationGlossary = defineGlossary({
  context: 'notification',
  terms: [
    {
      term: 'Notification',
      definition:
        'One thing the platform told one person: that their account is ready, that their payment went through or was refunded, that a course is ready, that a certificate is issued. Each notification has a permanent identifier.',
      avoid: ['alert'],
      refs: ['Notification', 'Notification.id', 'NotificationCreated.id', 'NotificationRead.notificationId'],
    },
    {
      term: 'Notification version',
      definition: 'How many changes a notification has been through: 1 when created, 2 once read.',
      avoid: ['revision'],
      refs: ['Notification.version'],
    },
    {
      term: 'Recipient',
      definition:
        'The person a notification is for. Nobody else may read their notifications or mark them read.',
      avoid: ['receiver', 'target', 'subscriber'],
      refs: [
        'Notification.recipientId',
        'NotificationCreated.recipientId',
        'NotificationRead.recipientId',
        'NotificationsRead.recipientId',
        'NotificationFeed.id',
      ],
    },
    {
      term: 'Notification kind',
      definition:
        'What a notification is about: welcome (a new account), receipt (a paid order), refund (a refunded order), course ready (an enrollment granted) or certificate ready (a certificate issued).',
      avoid: ['category'],
      refs: ['Notification.kind', 'NotificationCreated.kind'],
    },
    {
      term: 'Notification title',
      definition: 'What a notification is about in a few words, on one line: “Payment received”.',
      avoid: ['subject', 'heading'],
      refs: ['Notification.title', 'NotificationCreated.title'],
    },
    {
      term: 'Notification text',
      definition:
        'What a notification tells its recipient, in the platform’s words: the amount paid, the courses bought, the certificate’s code. At most 1,000 characters.',
      avoid: ['content'],
      refs: ['Notification.text', 'NotificationCreated.text'],
    },
    {
      term: 'Notification link',
      definition:
        'Where a notification leads in the learner app (the order, the course, the certificate), as a path on the platform, never another site; some notifications lead nowhere.',
      avoid: ['url', 'href'],
      refs: ['Notification.link', 'NotificationCreated.link'],
    },
    {
      term: 'Notifying',
      definition:
        'The platform adding a notification to a recipient’s feed because something happened elsewhere on it: a registration, a payment, a refund, an enrollment, a certificate. One happening makes one notification, however often the platform hears of it. The platform records when it was created.',
      avoid: ['sending', 'pushing'],
      refs: ['NotificationCreated', 'Notification.createdAt', 'NotificationCreated.createdAt'],
    },
    {
      term: 'Notification feed',
      definition:
        'Everything the platform has told one recipient, in the order it told it. Each person has one feed, started with their first notification.',
      avoid: ['inbox', 'stream', 'channel'],
      refs: ['NotificationFeed', 'NotificationFeed.version'],
    },
    {
      term: 'Position',
      definition:
        'A notification’s place in its recipient’s feed: 1 for the first, one more for each after it, never skipped and never repeated. A client that holds everything up to a position knows exactly what it lacks. Position 0 means holding nothing yet.',
      avoid: ['offset', 'sequence number', 'cursor'],
      refs: [
        'Notification.position',
        'NotificationCreated.position',
        'NotificationRead.position',
        'NotificationFeed.latestPosition',
        'NotificationFeed.since.position',
      ],
    },
    {
      term: 'Epoch',
      definition:
        'Names one run of a feed’s positions. It changes only if the feed is ever started again (its record lost or erased); positions from another epoch say nothing about this one.',
      avoid: ['generation', 'session'],
      refs: [
        'Notification.epoch',
        'NotificationCreated.epoch',
        'NotificationRead.epoch',
        'NotificationsRead.epoch',
        'NotificationFeed.epoch',
        'NotificationFeed.since.epoch',
      ],
    },
    {
      term: 'Reading the feed',
      definition:
        'The recipient looking through their notifications, newest first, a page at a time, with how many are still unread.',
      avoid: ['fetching'],
      refs: ['NotificationFeed.list', 'NotificationFeed.list.cursor', 'NotificationFeed.list.limit'],
    },
    {
      term: 'Catching up',
      definition:
        'A client that was away (a dropped connection, a closed tab) asking for everything after the epoch and position it holds, oldest first, at most a given number at a time. When what it missed is no longer kept, or its epoch is not the feed’s, the feed says it cannot be caught up (“not recovered”) and the client reads the feed again from the top.',
      avoid: ['replay', 'sync'],
      refs: ['NotificationFeed.since', 'NotificationFeed.since.limit'],
    },
    {
      term: 'Unread count',
      definition: 'How many of the recipient’s notifications they have not read: the number on the badge.',
      avoid: ['badge count'],
      refs: ['NotificationFeed.unreadCount'],
    },
    {
      term: 'Marking read',
      definition:
        'The recipient saying they have seen one notification. Marking it again changes nothing. The platform records when it was read.',
      avoid: ['acknowledging', 'dismissing'],
      refs: ['Notification.markRead', 'NotificationRead', 'Notification.readAt', 'NotificationRead.readAt'],
    },
    {
      term: 'Marking all read',
      definition:
        'The recipient saying they have seen everything in their feed up to a position (the latest when they name none). Everything at or before it is read from then on; marking up to a position already covered changes nothing.',
      avoid: ['clearing'],
      refs: [
        'NotificationFeed.markAllRead',
        'NotificationFeed.markAllRead.upTo',
        'NotificationsRead',
        'NotificationsRead.upTo',
        'NotificationsRead.readAt',
        'NotificationFeed.readUpTo',
      ],
    },
    {
      term: 'Retention',
      definition:
        'How much of a feed the platform keeps: the newest 1,000 notifications of each recipient, none older than 30 days (the deployment may say otherwise). What falls out of it can no longer be caught up with.',
      avoid: ['history', 'ttl'],
      refs: [],
    },
  ],
});

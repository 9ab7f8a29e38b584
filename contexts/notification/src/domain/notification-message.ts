import { normalisePlainText } from '@strata/shared-kernel';
import type { NotificationKind } from './notification-kind.ts';
import { notificationBodyText, notificationTitleText } from './notification-text.ts';

/**
 * What a notification says, in the platform's words, made from the facts another context
 * announced. The facts are the notification context's own terms (a course title, a total), so it
 * needs no other context's types; engagement-service reads them off the events.
 */
export interface NotificationMessage {
  readonly kind: NotificationKind;
  readonly title: string;
  readonly text: string;
  readonly link: string | null;
}

/** An amount as the events carry it: whole minor units and an ISO 4217 currency. */
export interface Amount {
  readonly amount: number;
  readonly currency: string;
}

export interface OrderFacts {
  readonly orderId: string;
  readonly courseTitles: readonly string[];
  readonly total: Amount;
}

/** How many course titles a message names before it says "and N more": a text stays readable. */
export const MAX_TITLES_NAMED = 3;

function message(
  kind: NotificationKind,
  title: string,
  text: string,
  link: string | null,
): NotificationMessage {
  return {
    kind,
    title: normalisePlainText(title, notificationTitleText),
    text: normalisePlainText(text, notificationBodyText),
    link,
  };
}

/** `EUR 49.00`, `JPY 4,900`: minor units shown with the currency's own number of decimals. */
export function formatAmount({ amount, currency }: Amount): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'code' });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** decimals).replace(/\s+/u, ' ');
}

/** `“A”`, `“A” and “B”`, `“A”, “B”, “C” and 2 more`. */
export function courseList(titles: readonly string[]): string {
  const named = titles.slice(0, MAX_TITLES_NAMED).map((title) => `“${title}”`);
  const more = titles.length - named.length;
  if (more > 0) return `${named.join(', ')} and ${more} more`;
  if (named.length === 1) return named[0]!;
  return `${named.slice(0, -1).join(', ')} and ${named.at(-1)!}`;
}

/** A new account: the person is told where to start. */
export function welcomeMessage(facts: { readonly displayName: string }): NotificationMessage {
  return message(
    'welcome',
    'Welcome to Strata',
    `Hello ${facts.displayName}, your account is ready. Browse the catalog and enrol in your first course.`,
    '/courses',
  );
}

/** A paid order: the receipt names what was bought and what was paid. */
export function receiptMessage(facts: OrderFacts): NotificationMessage {
  return message(
    'receipt',
    'Payment received',
    `We received your payment of ${formatAmount(facts.total)} for ${courseList(facts.courseTitles)}. Your receipt is in your orders.`,
    `/orders/${facts.orderId}`,
  );
}

/** A refunded order: the money goes back and the courses are no longer open. */
export function refundMessage(facts: OrderFacts): NotificationMessage {
  return message(
    'refund',
    'Refund issued',
    `We refunded ${formatAmount(facts.total)} for ${courseList(facts.courseTitles)}. The refund reaches your account within a few days; the course lessons are no longer open to you.`,
    `/orders/${facts.orderId}`,
  );
}

/** An enrollment granted (paid, or free): the course's lessons are open. */
export function courseReadyMessage(facts: { readonly courseId: string }): NotificationMessage {
  return message(
    'course-ready',
    'Your course is ready',
    'You are enrolled: the lessons of your course are open. Start whenever you like; your progress is kept.',
    `/courses/${facts.courseId}`,
  );
}

/** A certificate issued on completing a course: its code is what others check it by. */
export function certificateReadyMessage(facts: {
  readonly certificateId: string;
  readonly code: string;
}): NotificationMessage {
  return message(
    'certificate-ready',
    'Your certificate is ready',
    `Congratulations on completing your course. Your certificate ${facts.code} is ready to view and share.`,
    `/certificates/${facts.certificateId}`,
  );
}

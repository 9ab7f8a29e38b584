import { describe, expect, it } from '@jest/globals';
import {
  canResumeFrom,
  certificateReadyMessage,
  courseList,
  formatAmount,
  NotificationFeed,
  prunedUpTo,
  receiptMessage,
  welcomeMessage,
} from '@strata/notification';
import { notificationContract, notificationViewOf } from '@strata/notification/contract';
import { FixedClock, isDomainError, newId } from '@strata/shared-kernel';

const clock = new FixedClock('2026-12-04T10:00:00.000Z');
const recipient = () => ({ userId: newId(), roles: ['learner'] });
const welcome = welcomeMessage({ displayName: 'Ada' });

function refusalOf(act: () => void): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('a notification feed', () => {
  it('gives each notification the next position of its epoch and announces it with every field a live client shows', () => {
    const me = recipient();
    const feed = NotificationFeed.start(me.userId, clock, 'e1');
    const first = feed.append(welcome, newId(), clock);
    const second = feed.append(
      certificateReadyMessage({ certificateId: newId(), code: '7K3M-Q9TX-4' }),
      newId(),
      clock,
    );

    expect([first.position, second.position, feed.latestPosition]).toEqual([1, 2, 2]);
    expect(first).toMatchObject({ epoch: 'e1', recipientId: me.userId, kind: 'welcome', readAt: null });
    const announced = feed.pendingEvents.map((event) => event.payload);
    expect(feed.pendingEvents.map((event) => [event.type, event.aggregateId])).toEqual([
      ['NotificationCreated', me.userId],
      ['NotificationCreated', me.userId],
    ]);
    const schema = notificationContract.aggregates.NotificationFeed.events.NotificationCreated.payload;
    expect(notificationViewOf(schema.parse(announced[1]))).toMatchObject({
      id: second.id,
      position: 2,
      kind: 'certificate-ready',
      readAt: null,
      version: 1,
    });
  });

  it('marks everything up to a position read, never past the latest, and changes nothing for a mark already covered', () => {
    const me = recipient();
    const feed = NotificationFeed.start(me.userId, clock);
    for (let count = 0; count < 3; count += 1) feed.append(welcome, newId(), clock);
    const before = feed.pendingEvents.length;

    feed.markAllRead(me, clock, 2);
    feed.markAllRead(me, clock, 1);
    feed.markAllRead(me, clock, 99);

    expect(feed.readUpTo).toBe(3);
    expect(
      feed.pendingEvents.slice(before).map((event) => [event.type, (event.payload as { upTo: number }).upTo]),
    ).toEqual([
      ['NotificationsRead', 2],
      ['NotificationsRead', 3],
    ]);
  });

  it('refuses anyone but the recipient marking a feed or a notification read', () => {
    const me = recipient();
    const feed = NotificationFeed.start(me.userId, clock);
    const notification = feed.append(welcome, newId(), clock);
    for (const act of [
      () => feed.markAllRead(recipient(), clock),
      () => notification.markRead(recipient(), clock),
    ]) {
      const error = refusalOf(act);
      expect(isDomainError(error) && error.code).toBe('only-the-recipient-may-mark-notifications-read');
    }
    notification.markRead(me, clock);
    notification.markRead(me, clock);
    expect(notification.readAt).toEqual(clock.now());
    expect(notification.pendingEvents.map((event) => event.type)).toEqual(['NotificationRead']);
  });
});

describe('catching up a feed', () => {
  const feed = { epoch: 'e1', latestPosition: 10, oldestRetainedPosition: 4 };

  it.each([
    [{ epoch: 'e1', position: 3 }, true],
    [{ epoch: 'e1', position: 10 }, true],
    [{ epoch: 'e1', position: 2 }, false],
    [{ epoch: 'e0', position: 5 }, false],
    [{ epoch: 'e1', position: 11 }, false],
    [{ epoch: 'anything', position: 0 }, false],
  ])('from %o: recovered %s', (mark, recovered) => {
    expect(canResumeFrom(mark, feed)).toBe(recovered);
  });

  it('resumes a client holding nothing while the first position is kept, in any epoch', () => {
    expect(
      canResumeFrom(
        { epoch: 'old', position: 0 },
        { epoch: 'e1', latestPosition: 0, oldestRetainedPosition: null },
      ),
    ).toBe(true);
    expect(
      canResumeFrom(
        { epoch: 'old', position: 0 },
        { epoch: 'e1', latestPosition: 3, oldestRetainedPosition: 1 },
      ),
    ).toBe(true);
    expect(
      canResumeFrom(
        { epoch: 'e1', position: 3 },
        { epoch: 'e1', latestPosition: 3, oldestRetainedPosition: null },
      ),
    ).toBe(true);
    expect(
      canResumeFrom(
        { epoch: 'e1', position: 2 },
        { epoch: 'e1', latestPosition: 3, oldestRetainedPosition: null },
      ),
    ).toBe(false);
  });

  it('prunes by count only past the newest perRecipient', () => {
    expect(prunedUpTo({ perRecipient: 1_000, maxAgeDays: 30 }, 999)).toBe(0);
    expect(prunedUpTo({ perRecipient: 3, maxAgeDays: 30 }, 5)).toBe(2);
  });
});

describe('what notifications say', () => {
  it('shows amounts in the currency’s own decimals and names at most three courses', () => {
    expect(formatAmount({ amount: 4900, currency: 'EUR' })).toBe('EUR 49.00');
    expect(formatAmount({ amount: 4900, currency: 'JPY' })).toBe('JPY 4,900');
    expect(courseList(['A'])).toBe('“A”');
    expect(courseList(['A', 'B'])).toBe('“A” and “B”');
    expect(courseList(['A', 'B', 'C', 'D', 'E'])).toBe('“A”, “B”, “C” and 2 more');
  });

  it('writes a receipt that fits the text bounds however many long titles the order has', () => {
    const receipt = receiptMessage({
      orderId: newId(),
      courseTitles: Array.from({ length: 20 }, (_, index) => `${'Long title '.repeat(10)}${index}`),
      total: { amount: 98_000, currency: 'USD' },
    });
    expect(receipt.kind).toBe('receipt');
    expect(receipt.text.length).toBeLessThanOrEqual(1_000);
    expect(receipt.text).toContain('USD 980.00');
    expect(receipt.text).toContain('and 17 more');
  });
});

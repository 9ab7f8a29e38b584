import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { answerPayment } from '@strata/payment-simulator/test-support';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { CuttableLink } from './cuttable-link.ts';
import { call, LEARNER_PASSWORD, registerLearner } from './http.ts';

// The learner's notifications page (learner-api's, routed by the gateway at /learner/) in a real
// Chromium: it logs in, shows a purchase's receipt live, and after a dropped connection shows what
// was made meanwhile exactly once. The browser reaches the gateway through a link the test can
// cut, so the drop is a network's, not something the page is asked to do.

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'npm run stack:up installs it (as root), or: apt-get update && apt-get install -y chromium';
const SETTLE_MS = 30_000;

interface Feed {
  items: { id: string; kind: string; position: number }[];
  latestPosition: number;
  unread: number;
}

/** What the page shows: each notification's id and kind, newest first, the badge; what the stream sent. */
async function shown(page: Page) {
  const items = await page.locator('#notifications li').all();
  return {
    items: await Promise.all(
      items.map(async (li) => ({
        id: await li.getAttribute('data-id'),
        kind: await li.getAttribute('data-kind'),
      })),
    ),
    unread: await page.locator('#unread-count').textContent(),
    delivered: Number(await page.locator('body').getAttribute('data-delivered')),
    repeated: await page.locator('body').getAttribute('data-repeated'),
  };
}

/** Until the page shows at least `count` notifications. */
function showsAtLeast(page: Page, count: number) {
  return page
    .locator('#notifications li')
    .nth(count - 1)
    .waitFor({ state: 'attached', timeout: SETTLE_MS });
}

export async function runLearnerPageJourney(url: string, simulatorUrl: string): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the learner page journey needs it: ${INSTALL}`,
    );
  const link = await CuttableLink.open(url);
  // Chromium starts while the learner registers rather than after: its start takes seconds.
  const launching = chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  // Handled here too, so a launch failing while the learner registers is not an unhandled rejection.
  launching.catch(() => undefined);
  try {
    // The learner's other session (another tab, their phone): it buys while the page watches.
    const { email, token: other } = await registerLearner(url, 'page', 'Page Reader');
    const feed = async (): Promise<Feed> => {
      const answer = await call(url, 'GET', '/api/learner/notifications?limit=50', { token: other });
      expect(answer.status).toBe(200);
      return answer.body as Feed;
    };
    const feedReaches = (position: number) =>
      waitFor(
        `the feed reaches position ${position}`,
        async () => (await feed()).latestPosition >= position,
        {
          timeoutMs: SETTLE_MS,
          everyMs: 200,
        },
      );

    const browser = await launching;
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    const listReads: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/learner/notifications') listReads.push(request.url());
    });
    // The first stream is opened as if the page held a position of a feed since reset (another
    // epoch): the server says it cannot go on from there ("not recovered"), and the page reads its
    // list again instead of trusting what it shows.
    await page.route(
      '**/api/learner/notifications/stream',
      (route) =>
        route.continue({ headers: { ...route.request().headers(), 'last-event-id': 'a-reset-epoch:1' } }),
      { times: 1 },
    );
    const opened = await page.goto(`${link.url}/learner/notifications`);
    expect(opened?.status()).toBe(200);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', LEARNER_PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: SETTLE_MS });
    await waitFor('the page reads its list again when not recovered', async () => listReads.length === 2, {
      timeoutMs: SETTLE_MS,
      everyMs: 50,
    });
    // Set on this document only: still there at the end means the page was never reloaded.
    await page.evaluate("document.body.dataset.journey = 'unreloaded'");

    const courses = await call(url, 'GET', '/api/learner/courses', { token: other });
    const offer = (title: string) =>
      courses.body.items.find((course: { title: string }) => course.title === title) as {
        id: string;
        price: unknown;
      };
    const paidCourse = offer('Domain-Driven Design in Practice');
    const placed = await call(url, 'POST', '/api/learner/checkout', {
      token: other,
      headers: { 'idempotency-key': randomUUID() },
      body: { courses: [{ courseId: paidCourse.id, expectedPrice: paidCourse.price }] },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as string;
    const paymentPage = await waitFor(
      'the checkout has a payment page',
      async () => {
        const mine = await call(url, 'GET', `/api/learner/orders/${orderId}`, { token: other });
        return (mine.body.checkout?.paymentPageUrl as string | null) ?? undefined;
      },
      { timeoutMs: SETTLE_MS, everyMs: 200 },
    );
    await answerPayment(simulatorUrl, paymentPage.split('/pay/')[1]!, 'approve');

    // The receipt shows up live; then everything the feed holds (welcome, receipt, course ready).
    await page.locator('#notifications li[data-kind="receipt"]').waitFor({ timeout: SETTLE_MS });
    await feedReaches(3);
    await showsAtLeast(page, 3);
    const before = await shown(page);
    expect(before.items).toHaveLength(3);

    // The network drops; two notifications are made while the page cannot hear of them.
    link.cut();
    await page.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: SETTLE_MS });
    const refunded = await call(url, 'POST', `/api/learner/orders/${orderId}/refund`, { token: other });
    expect(refunded.status).toBeLessThan(300);
    const freeCourse = offer('TypeScript Without a Build Step');
    const enrolled = await call(url, 'POST', '/api/learner/enrollments', {
      token: other,
      body: { courseId: freeCourse.id },
    });
    expect(enrolled.status).toBe(200);
    await feedReaches(5);
    expect((await shown(page)).items).toEqual(before.items);

    // Back: the page resumes from the last position it held and shows both, once each.
    link.restore();
    await showsAtLeast(page, 5);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: SETTLE_MS });
    const after = await shown(page);
    const stored = await feed();
    expect(stored.items).toHaveLength(5);
    expect(after.items).toEqual(stored.items.map(({ id, kind }) => ({ id, kind })));
    expect(new Set(after.items.map((item) => item.id)).size).toBe(5);
    expect(
      after.items
        .slice(0, 2)
        .map((item) => item.kind)
        .sort(),
    ).toEqual(['course-ready', 'refund']);
    expect(after.items.slice(2)).toEqual(before.items);
    expect(after.unread).toBe(String(stored.unread));
    // The stream resumed after the position held: it sent the two missed, nothing the page had.
    expect(after.delivered - before.delivered).toBe(2);
    expect(after.repeated).toBe('0');
    expect(await page.locator('body').getAttribute('data-journey')).toBe('unreloaded');
    expect(failures).toEqual([]);
  } finally {
    await (await launching.catch(() => undefined))?.close();
    await link.close();
  }
}

import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { answerPayment } from '@strata/payment-simulator/test-support';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { SocketClient, SseClient, type PushClient } from '@strata/push/test-support';
import { call } from './http.ts';

// Live notifications as a learner's clients see them, the same in both run modes, made by real
// events (a registration, a free enrollment, a purchase, a completed course): each client drops its
// connection, notifications are made while it is away, and it comes back (elsewhere, when the run
// has more than one learner-api) with what it last held. An event-stream client that stopped
// reading stays connected beside them all along: it is not cut for its buffers, since on loopback
// the kernel takes about 4 MB per TCP leg from a peer that reads nothing before Node buffers a byte
// (two legs through the gateway), thousands of notifications for one learner; that cut is in
// infra/push's test. A WebSocket client that stops reading is cut, for the heartbeat ping it leaves
// unanswered (the platform's heartbeat is set short for this: STRATA_PUSH_HEARTBEAT_SECONDS), while
// the client beside it keeps receiving.

const SETTLE_MS = 60_000;
const STREAM_PATH = '/notifications/stream';
const SOCKET_PATH = '/notifications/socket';
const SOCKET_PROTOCOL = 'strata.notifications.v1';

/** Where a client reaches learner-api's notification routes: a gateway's `/api/learner`, or one instance itself. */
export interface PushPlace {
  /** What the assertions call it: `gateway#1`, `learner-api#2`. */
  readonly label: string;
  /** The base the notification routes hang off. */
  readonly base: string;
}

/** One client: its transport, where its first connection goes, and where it comes back after the drop. */
export interface PushLeg {
  readonly transport: 'sse' | 'ws';
  readonly before: PushPlace;
  readonly after: PushPlace;
}

/**
 * A client address of its own on loopback: the account route's budget is per address, and the
 * journeys before this one may have spent 127.0.0.1's.
 */
const clientAddress = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

/** A JSON POST without a token, from this journey's own client address. */
function postFromOwnAddress(
  url: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: { accessToken?: string } }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      `${url}${path}`,
      { method: 'POST', localAddress: clientAddress, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    sent.once('error', reject);
    sent.end(JSON.stringify(body));
  });
}

export const viaGateway = (url: string, label: string): PushPlace => ({ label, base: `${url}/api/learner` });

/**
 * Heartbeats the client beside a stalled socket sees after the pause, by which its instance has
 * surely cut the stalled one: at most one ping already on its way at the pause, then the sweep that
 * pings the stalled socket, then the sweep that finds that ping unanswered and cuts it (the cut is
 * written in the same sweep as that ping to the client beside it).
 */
const PINGS_UNTIL_CUT = 3;

/** Each `learner-api#n` of the distributed banner, with the address it listens on. */
export function learnerApiInstancesOf(output: string): PushPlace[] {
  return [...output.matchAll(/^ {2}(learner-api#\d+) +pid \d+ +http (http:\/\/\S+)/gm)].map((match) => ({
    label: match[1]!,
    base: match[2]!,
  }));
}

const nameOf = (leg: PushLeg) => `${leg.transport} ${leg.before.label} → ${leg.after.label}`;

interface Notification {
  epoch: string;
  position: number;
  kind: string;
}

function open(leg: PushLeg, place: PushPlace, token: string, held: string): PushClient {
  if (leg.transport === 'sse')
    return new SseClient(`${place.base}${STREAM_PATH}`, {
      authorization: `Bearer ${token}`,
      'last-event-id': held,
    });
  const [epoch, position] = held === '0' ? [null, 0] : [held.split(':')[0]!, Number(held.split(':')[1])];
  // As a browser does it: the token as a subprotocol beside the one the server speaks.
  return new SocketClient(`${place.base.replace(/^http/, 'ws')}${SOCKET_PATH}`, {
    protocols: [SOCKET_PROTOCOL, `bearer.${token}`],
    subscribe: { type: 'subscribe', since: { epoch, position } },
  });
}

const notificationsOf = (client: PushClient) =>
  client.received
    .filter((message) => message.event === 'notification')
    .map((message) => message.data as Notification);

/**
 * A new learner's notifications, live through every leg at once: the welcome and a free course's
 * "course ready" arrive on every first connection; all of them drop; a purchase makes a receipt
 * and another "course ready" while they are away; each comes back where its leg says with its
 * last position and gets exactly those two, then the certificate live: every position once, in order,
 * on every client. A client that stopped reading the whole time does not hold anyone up; a
 * WebSocket that stops reading is cut with a reason (the platform's heartbeat must be short: a
 * second or two) while the client beside it receives what is made meanwhile.
 */
export async function runPushJourney(url: string, simulatorUrl: string, legs: PushLeg[]): Promise<void> {
  const email = `notified-${randomUUID()}@example.org`;
  const registered = await postFromOwnAddress(url, '/api/account/auth/register', {
    email,
    password: 'Correct-Horse-42',
    displayName: 'Notified',
  });
  expect(registered.status).toBe(201);
  const loggedIn = await postFromOwnAddress(url, '/api/account/auth/login', {
    email,
    password: 'Correct-Horse-42',
  });
  expect(loggedIn.status).toBe(200);
  const token = loggedIn.body.accessToken as string;
  // A client that stops reading once its stream is open (its socket paused): what is sent to it
  // piles up in the buffers on the way while the others are served.
  const stalled = new SseClient(`${url}/api/learner${STREAM_PATH}`, {
    authorization: `Bearer ${token}`,
    'last-event-id': '0',
  });
  expect((await stalled.response).headers['content-type']).toMatch(/^text\/event-stream/);
  stalled.pause();
  const clients: PushClient[] = [stalled];
  const opened = (client: PushClient) => {
    clients.push(client);
    return client;
  };
  try {
    const upTo = async (position: number, what: string) => {
      const page = await waitFor(
        what,
        async () => {
          const answer = await call(url, 'GET', '/api/learner/notifications', { token });
          expect(answer.status).toBe(200);
          return answer.body.latestPosition >= position ? answer.body : undefined;
        },
        { timeoutMs: SETTLE_MS, everyMs: 100 },
      );
      expect(page.latestPosition).toBe(position);
      return page as { epoch: string; items: Notification[] };
    };
    const until = (client: PushClient, positions: number[], what: string) =>
      client.until(
        () => notificationsOf(client).length >= positions.length,
        `${what} (${positions.join(', ')})`,
        SETTLE_MS,
      );

    await upTo(1, 'the welcome');
    // From "0", as a client whose list was empty: the welcome comes from storage.
    const first = legs.map((leg) => opened(open(leg, leg.before, token, '0')));
    await Promise.all(
      first.map((client, index) => until(client, [1], `the welcome on ${nameOf(legs[index]!)}`)),
    );
    // A socket that stops reading once live, beside the first WebSocket leg's client: the same
    // place, which reaches one learner-api (a gateway in front of one, or an instance itself), so
    // the heartbeats that client sees are those of the instance that holds the stalled socket.
    const socketLeg = legs.findIndex((leg) => leg.transport === 'ws');
    expect(socketLeg).toBeGreaterThanOrEqual(0);
    const beside = first[socketLeg] as SocketClient;
    const unresponsive = opened(open(legs[socketLeg]!, legs[socketLeg]!.before, token, '0')) as SocketClient;
    await unresponsive.until(
      (received) => received.some((message) => message.event === 'ready'),
      'the socket that will stop reading, live',
      SETTLE_MS,
    );
    const pingsAtPause = beside.pings;
    unresponsive.pause();

    const browsed = await call(url, 'GET', '/api/learner/courses');
    const course = (title: string) =>
      browsed.body.items.find((item: { title: string }) => item.title === title) as {
        id: string;
        price: { amount: number; currency: string };
        lessons: { id: string }[];
      };
    const enrolled = await call(url, 'POST', '/api/learner/enrollments', {
      token,
      body: { courseId: course('TypeScript Without a Build Step').id },
    });
    expect(enrolled.status).toBe(200);
    await Promise.all(
      first.map((client, index) => until(client, [1, 2], `the free course, live on ${nameOf(legs[index]!)}`)),
    );
    // Its instance pings it, then finds the ping unanswered and cuts it; reading again, it gets what
    // was sent before the cut (the free course, made while it read nothing), then the reason, while
    // the client beside it received the free course and is still open.
    await beside.until(
      () => beside.pings >= pingsAtPause + PINGS_UNTIL_CUT,
      `${PINGS_UNTIL_CUT} heartbeats beside the stalled socket`,
      SETTLE_MS,
    );
    expect(beside.closeCode).toBeUndefined();
    unresponsive.resume();
    await unresponsive.until(
      () => unresponsive.closeCode !== undefined,
      'the stalled socket closed once it reads again',
      SETTLE_MS,
    );
    const seen = unresponsive.received.map((message) =>
      message.event === 'notification' ? (message.data as Notification).position : message.event,
    );
    // The free course reached it before the cut unless the event took longer than two heartbeats.
    expect([
      [1, 'ready', 2, 'goodbye'],
      [1, 'ready', 'goodbye'],
    ]).toContainEqual(seen);
    expect({
      goodbye: unresponsive.received.at(-1)!.data,
      close: [unresponsive.closeCode, unresponsive.closeReason],
    }).toEqual({
      goodbye: expect.objectContaining({ reason: 'unresponsive', reconnect: true }),
      close: [4009, 'unresponsive'],
    });

    for (const client of first) client.close();
    await Promise.all(first.map((client) => client.closed));

    // Bought and paid while every client is away: a receipt and "course ready".
    const paid = course('Domain-Driven Design in Practice');
    const placed = await call(url, 'POST', '/api/learner/checkout', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { courses: [{ courseId: paid.id, expectedPrice: paid.price }] },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as string;
    const paymentPage = await waitFor(
      'the checkout has a payment page',
      async () => {
        const answer = await call(url, 'GET', `/api/learner/orders/${orderId}`, { token });
        return (answer.body.checkout?.paymentPageUrl as string | null | undefined) ?? undefined;
      },
      { timeoutMs: SETTLE_MS, everyMs: 100 },
    );
    await answerPayment(simulatorUrl, paymentPage.split('/pay/')[1]!, 'approve');
    const away = await upTo(4, 'the receipt and the course made while the clients were away');
    expect(away.items.map((item) => item.kind).sort()).toEqual(
      ['course-ready', 'course-ready', 'receipt', 'welcome'].sort(),
    );

    // Back, each with the last position it received, where its leg says.
    const again = legs.map((leg, index) => {
      const last = first[index]!.received.filter((message) => message.event === 'notification').at(-1)!;
      return opened(open(leg, leg.after, token, last.id!));
    });
    await Promise.all(
      again.map((client, index) => until(client, [3, 4], `what was missed, on ${nameOf(legs[index]!)}`)),
    );
    // Every lesson of the bought course done: its certificate, live.
    const mine = await call(url, 'GET', '/api/learner/my-courses', { token });
    const enrollment = mine.body.items.find((item: { courseId: string }) => item.courseId === paid.id) as {
      enrollmentId: string;
    };
    expect(enrollment).toBeDefined();
    for (const lesson of paid.lessons) {
      const done = await call(
        url,
        'POST',
        `/api/learner/enrollments/${enrollment.enrollmentId}/lessons/${lesson.id}/complete`,
        { token },
      );
      expect(done.status).toBe(200);
    }
    await Promise.all(
      again.map((client, index) =>
        until(client, [3, 4, 5], `the certificate, live on ${nameOf(legs[index]!)}`),
      ),
    );
    const last = await upTo(5, 'the certificate in the list');
    expect(last.items[0]!.kind).toBe('certificate-ready');

    for (const [index, leg] of legs.entries()) {
      const before = first[index]!;
      const after = again[index]!;
      const seen = (client: PushClient) =>
        client.received
          .filter((message) => message.event === 'notification' || message.event === 'ready')
          .map((message) =>
            message.event === 'ready'
              ? `ready ${(message.data as { position: number }).position}`
              : (message.data as Notification).position,
          );
      // Nothing missed, nothing twice: the certificate came last on the stream, so a repeat would be before it.
      expect({ leg: nameOf(leg), before: seen(before), after: seen(after) }).toEqual({
        leg: nameOf(leg),
        before: [1, 'ready 1', 2],
        after: [3, 4, 'ready 4', 5],
      });
      expect(after.received.find((message) => message.event === 'ready')!.data).toMatchObject({
        recovered: true,
      });
      expect(
        new Set([...notificationsOf(before), ...notificationsOf(after)].map((item) => item.epoch)).size,
      ).toBe(1);
    }
    // Reading again, the stalled client gets all of it too, once each and in order.
    stalled.resume();
    await until(stalled, [1, 2, 3, 4, 5], 'everything, on the stalled client reading again');
    expect(notificationsOf(stalled).map((item) => item.position)).toEqual([1, 2, 3, 4, 5]);
  } finally {
    for (const client of clients) client.close();
  }
}

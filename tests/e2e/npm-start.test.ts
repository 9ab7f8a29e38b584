import { afterAll, describe, expect, it } from '@jest/globals';
import { abuseSeed, expectNoFindings, ABUSE_BOUNDS } from './abuse/abuse-expectations.ts';
import { runAbuse, summaryLine } from './abuse/abuse-run.ts';
import { call, login } from './http.ts';
import { EmbeddedRuns, expectCleanStop, stopPlatform, type Platform } from './platform-process.ts';
import { runCheckoutJourney, runExpiryJourney, simulatorUrlOf } from './checkout-journey.ts';
import { runLearningJourney } from './learning-journey.ts';
import { runLearnerPageJourney } from './learner-page-journey.ts';
import { runLinksJourney, shortLinkUrlsOf } from './links-journey.ts';
import { runPushJourney, viaGateway } from './push-journey.ts';
import { runSliceJourney } from './slice-journey.ts';

// `npm start` exactly as a newcomer runs it, with every stack endpoint pointed at a closed port
// (see npmStart): if the embedded platform touched MariaDB, Redis, Kafka or etcd it would fail to come up.

// A bound on a hung start on a busy 2-core machine, not a performance claim.
const STARTUP_BOUND_MS = 180_000;
const ABUSE_BOUND_MS = 240_000;
const demoTitles = [
  'Domain-Driven Design in Practice',
  'Event-Driven Systems with the Outbox',
  'TypeScript Without a Build Step',
];

describe('npm start (embedded platform)', () => {
  const runs = new EmbeddedRuns('strata-e2e-');
  let running: Platform;

  // Only when a test failed before stopping its own start.
  afterAll(() => runs.cleanUp());

  it(
    'comes up with no stack and serves the journey through the gateway',
    async () => {
      // A heartbeat of a second: the push journey's socket that stops reading is cut within seconds.
      running = await runs.start({ STRATA_PUSH_HEARTBEAT_SECONDS: '1' });
      const [url] = running.gateways as [string];
      expect(running.output()).toMatch(/learner@strata\.demo \/ Demo-Learner-42/);
      // Every data service the topology plans is built and hosted: the banner lists none as planned.
      expect(running.output()).not.toMatch(/Not hosted yet/);
      expect(running.output()).toMatch(/Short links: http:\/\/127\.0\.0\.1:\d+\/<slug>/);
      expect(running.output()).toMatch(/curl -s http:\/\/127\.0\.0\.1:\d+\/api\/learner\/courses/);

      const email = `newcomer-${Date.now()}@example.org`;
      const registered = await call(url, 'POST', '/api/account/auth/register', {
        body: { email, password: 'Correct-Horse-42', displayName: 'Newcomer' },
      });
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ email, roles: ['learner'] });
      const token = await login(url, email, 'Correct-Horse-42');

      const docs = await fetch(`${url}/docs/`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await docs.text()).toMatch(/identity-service/);

      // Browsing the catalog needs no login (the gateway's public `catalog` route); the rest of learner-api does.
      const browsed = await call(url, 'GET', '/api/learner/courses');
      expect(browsed.status).toBe(200);
      expect(browsed.body.items.map((course: { title: string }) => course.title).sort()).toEqual(demoTitles);
      const courses = await call(url, 'GET', '/api/learner/courses', { token });
      expect(courses.status).toBe(200);
      expect(courses.body.items.map((course: { title: string }) => course.title).sort()).toEqual(demoTitles);
      expect(courses.body.items.every((course: { lessons: unknown[] }) => course.lessons.length > 0)).toBe(
        true,
      );

      const instructorToken = await login(url, 'instructor@strata.demo', 'Demo-Instructor-42');
      const own = await call(url, 'GET', '/api/studio/courses', { token: instructorToken });
      expect(own.status).toBe(200);
      expect(own.body.items).toHaveLength(3);
      // A learner is kept out of the studio by the gateway's role check.
      expect((await call(url, 'GET', '/api/studio/courses', { token })).status).toBe(403);

      // The journey the distributed run proves too, on this embedded platform.
      await runSliceJourney(url);
      await runCheckoutJourney(url, simulatorUrlOf(running.output()));
      await runLearningJourney(url, simulatorUrlOf(running.output()));
      // Embedded, the platform's pages are under this very gateway.
      await runLinksJourney(url, shortLinkUrlsOf(running.output()), url);
      // The learner's notifications page in Chromium: a purchase's receipt live, a dropped connection resumed.
      await runLearnerPageJourney(url, simulatorUrlOf(running.output()));

      // The one process's metrics, on its own admin port: every service's series in one registry.
      const metricsUrl = /Metrics and health: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(
        running.output(),
      )![1]!;
      const metrics = await (await fetch(metricsUrl)).text();
      for (const series of [
        /^strata_rpc_server_duration_seconds_count\{service="commerce-service",method="Order\.place",code="OK"\} [1-9]/m,
        /^strata_http_server_request_duration_seconds_count\{service="learner-api",method="GET",route="\/courses",status="200"\} [1-9]/m,
        /^strata_gateway_requests_total\{route="catalog",method="GET",status="200"\} [1-9]/m,
        /^strata_events_consumed_total\{group="[^"]+",outcome="handled"\} [1-9]/m,
        /^strata_outbox_unsent_events\{service="learning-service"\} \d/m,
        /^nodejs_eventloop_lag_p99_seconds /m,
      ])
        expect(metrics).toMatch(series);
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
    },
    STARTUP_BOUND_MS,
  );

  it('pushes notifications live through the gateway: SSE and WebSocket resume after a drop with nothing missed or repeated, past a stalled client; a socket that stops reading is cut with a reason', async () => {
    // One learner-api here: resuming on the same one. Across instances: the distributed run.
    const [url] = running.gateways as [string];
    const gateway = viaGateway(url, 'gateway');
    await runPushJourney(url, simulatorUrlOf(running.output()), [
      { transport: 'sse', before: gateway, after: gateway },
      { transport: 'ws', before: gateway, after: gateway },
    ]);
  }, 120_000);

  it('stops cleanly on SIGINT', async () => {
    expectCleanStop(await stopPlatform(running));
  }, 60_000);

  it(
    'seeds idempotently: a second start on the same data keeps exactly the demo courses; an unpaid order expires with its window',
    async () => {
      // A payment window of seconds, so the order placed below expires while the test waits.
      running = await runs.start({ STRATA_ORDER_PAYMENT_WINDOW_SECONDS: '3' });
      expect(running.output()).toMatch(/Demo data: 3 published courses \(already seeded\)/);
      const token = await login(running.gateways[0]!, 'learner@strata.demo', 'Demo-Learner-42');
      const courses = await call(running.gateways[0]!, 'GET', '/api/learner/courses', { token });
      expect(courses.body.items.map((course: { title: string }) => course.title).sort()).toEqual(demoTitles);
      await runExpiryJourney(running.gateways[0]!);
    },
    STARTUP_BOUND_MS,
  );

  // On the second start, as the distributed test does on its platform: an embedded start only for
  // it would add a boot and a stop to the run. After the seed check, which counts the published
  // courses the abuse suite may add to. Every abusive client has an address of its own, so the rate
  // budgets spent above are not theirs.
  it(
    'withstands the abuse suite: every documented operation answered without a 5xx, refused with problem+json, other users still served',
    async () => {
      const seed = abuseSeed();
      const report = await runAbuse({
        port: Number(new URL(running.gateways[0]!).port),
        seed,
        ...ABUSE_BOUNDS,
      });
      console.log(summaryLine('embedded', seed, report));
      expectNoFindings(report);
    },
    ABUSE_BOUND_MS,
  );

  it('stops the second start cleanly too', async () => {
    expectCleanStop(await stopPlatform(running));
  }, 60_000);
});

import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { callJson, describeOutcome, sendFrom } from './client.ts';
import { framingCase } from './framing-requests.ts';
import { abuseCase } from './hostile-requests.ts';
import { LegitClient } from './legit-client.ts';
import { nulProbes } from './nul-probes.ts';
import { readOperations } from './openapi-operations.ts';
import { mediaType, type RawOutcome } from './raw-http.ts';
import type { Known } from './schema-values.ts';

// The abuse run against a running platform, through its gateway only. Every documented operation
// gets `runsPerOperation` requests from abuseCase, one at a time, each by one of a few fuzzing
// instructors; then `framingRuns` raw-socket framing cases, a few at a time. Meanwhile a
// legitimate client keeps using the platform. Findings are collected, not thrown, so one run
// reports all of them; fast-check's shrinking is not used because the platform's state moves on
// between runs, so a shrunk replay would not repeat the experiment (the seed does).

const PASSWORD = 'Abuse-Passw0rd-42!';
const OWNERS = 5;
const FRAMING_CONCURRENCY = 6;
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
/** Reads of an owner's state refused by a rate limit are tried again this many times in all. */
const STATE_READ_ATTEMPTS = 30;

export interface AbuseSettings {
  port: number;
  runsPerOperation: number;
  framingRuns: number;
  seed: number;
}

export interface Finding {
  rule: string;
  operation: string;
  outcome: string;
  input: string;
}

export interface AbuseReport {
  operations: number;
  /** Every request the run sent: abuse, framing, state reads and the legitimate client's. */
  requests: number;
  abusive: number;
  framing: number;
  stateReads: number;
  serverErrors: number;
  legit: { sent: number; succeeded: number; failures: string[] };
  findings: Finding[];
}

interface Owner {
  token: string;
  courseId: string;
  lessonIds: string[];
  state: string;
}

async function signUp(port: number, label: string, registerAs: 'learner' | 'instructor') {
  const email = `${label}-${randomBytes(5).toString('hex')}@abuse.example.org`;
  const registered = await callJson(port, 'POST', '/api/account/auth/register', {
    body: { email, password: PASSWORD, displayName: `Abuse ${label}`, registerAs },
  });
  if (registered.status !== 201) throw new Error(`register ${label}: ${JSON.stringify(registered)}`);
  const login = await callJson(port, 'POST', '/api/account/auth/login', {
    body: { email, password: PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login ${label}: ${JSON.stringify(login)}`);
  return login.body.accessToken as string;
}

async function expectStatus(
  what: string,
  answer: Promise<{ status: number; body: unknown }>,
  status: number,
) {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: expected ${status}, got ${JSON.stringify(got)}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return got.body as any;
}

async function draftCourse(
  port: number,
  token: string,
  title: string,
): Promise<{ id: string; lessonIds: string[] }> {
  const course = await expectStatus(
    'draft',
    callJson(port, 'POST', '/api/studio/courses', { token, body: { title, description: 'Abuse fixture' } }),
    201,
  );
  const lessonIds: string[] = [];
  for (const lesson of ['First', 'Second']) {
    const changed = await expectStatus(
      'add lesson',
      callJson(port, 'POST', `/api/studio/courses/${course.id}/lessons`, { token, body: { title: lesson } }),
      201,
    );
    lessonIds.push(changed.lessons.at(-1).id);
  }
  return { id: course.id, lessonIds };
}

export async function runAbuse(settings: AbuseSettings): Promise<AbuseReport> {
  const { port } = settings;
  const findings: Finding[] = [];
  let abusive = 0;
  let framing = 0;
  let stateReads = 0;
  let serverErrors = 0;
  const run = randomBytes(3).toString('hex');

  // Users: five fuzzing instructors with a draft of two lessons each, a learner without the
  // instructor role, and the legitimate learner and instructor.
  const owners: Owner[] = [];
  for (let index = 0; index < OWNERS; index += 1) {
    const token = await signUp(port, `owner${index}`, 'instructor');
    const course = await draftCourse(port, token, `Abuse target ${run} ${index}`);
    owners.push({ token, courseId: course.id, lessonIds: course.lessonIds, state: '' });
  }
  const learnerOnly = await signUp(port, 'learner', 'learner');
  const legitLearner = await signUp(port, 'legit-learner', 'learner');
  const legitInstructor = await signUp(port, 'legit-instructor', 'instructor');
  const legitCourse = await draftCourse(port, legitInstructor, `Legit draft ${run}`);
  const catalogue = await expectStatus('catalogue', callJson(port, 'GET', '/api/learner/courses'), 200);
  const publishedCourseId = catalogue.items[0].id as string;

  const stateOf = async (owner: Owner): Promise<string> => {
    for (let attempt = 1; ; attempt += 1) {
      stateReads += 2;
      const courses = await callJson(port, 'GET', '/api/studio/courses?limit=100', { token: owner.token });
      const me = await callJson(port, 'GET', '/api/account/me', { token: owner.token });
      // The routes' rate limits count this owner's abusive requests too: a read they refuse says
      // nothing of the state, so it waits as told and reads again.
      const limited = [courses, me].find((answer) => answer.status === 429);
      if (limited !== undefined && attempt < STATE_READ_ATTEMPTS) {
        await sleep(1_000 * (limited.retryAfterSeconds ?? 1));
        continue;
      }
      if (courses.status !== 200 || me.status !== 200) {
        return `unreadable: courses ${courses.status}, me ${me.status}`;
      }
      return JSON.stringify({ courses: courses.body.items, me: me.body });
    }
  };
  for (const owner of owners) owner.state = await stateOf(owner);

  const operations = await readOperations(port, [
    { prefix: '/api/account' },
    { prefix: '/api/learner', token: owners[0]!.token },
    { prefix: '/api/studio', token: owners[0]!.token },
  ]);

  const knownFor = (owner: Owner): Known => {
    const others = owners.filter((other) => other !== owner);
    return {
      courseId: [owner.courseId, owner.courseId, owner.courseId, others[0]!.courseId, publishedCourseId],
      lessonId: [...owner.lessonIds, ...owner.lessonIds, others[0]!.lessonIds[0]!],
      lessonIds: owner.lessonIds,
    };
  };

  const judge = (
    operation: string,
    input: string,
    outcome: RawOutcome,
    expectation: { mayWait: boolean; documentedBody: boolean },
  ) => {
    const finding = (rule: string) =>
      findings.push({ rule, operation, outcome: describeOutcome(outcome), input });
    if (outcome.kind === 'timeout') {
      if (!expectation.mayWait) finding('no answer');
      return;
    }
    if (outcome.kind === 'closed') {
      finding('connection closed without an answer');
      return;
    }
    const { status } = outcome.response;
    if (status >= 500) {
      serverErrors += 1;
      finding('5xx');
    } else if (status >= 400 && mediaType(outcome.response) !== 'application/problem+json') {
      finding('4xx not application/problem+json');
    } else if (status >= 200 && status < 300 && !expectation.documentedBody) {
      finding('2xx for a body the document does not describe');
    }
  };

  const legit = new LegitClient(port, {
    learnerToken: legitLearner,
    instructorToken: legitInstructor,
    instructorCourseId: legitCourse.id,
    publishedCourseId,
  });
  legit.start();
  try {
    for (const [index, operation] of operations.entries()) {
      const cases = fc.nat(OWNERS - 1).chain((which) =>
        abuseCase(operation, knownFor(owners[which]!), {
          valid: owners[which]!.token,
          learnerOnly,
        }).map((abuse) => ({ owner: owners[which]!, abuse })),
      );
      await fc.assert(
        fc.asyncProperty(cases, async ({ owner, abuse }) => {
          const outcome = await sendFrom(port, abuse.request);
          abusive += 1;
          const changesState = !READ_ONLY.has(abuse.request.method.toUpperCase());
          judge(operation.id, abuse.summary, outcome, {
            mayWait: false,
            documentedBody:
              abuse.documentedType || !changesState || abuse.request.method !== operation.method,
          });
          if (!changesState) return;
          const accepted =
            outcome.kind === 'answer' && outcome.response.status >= 200 && outcome.response.status < 300;
          const involved = owners.filter(
            (candidate) => candidate === owner || abuse.request.target.includes(candidate.courseId),
          );
          for (const touched of involved) {
            const now = await stateOf(touched);
            if (!accepted && now !== touched.state) {
              findings.push({
                rule: 'a refused request changed state',
                operation: operation.id,
                outcome: `${describeOutcome(outcome)}; before ${touched.state.slice(0, 4000)}; after ${now.slice(0, 4000)}`,
                input: abuse.summary,
              });
            }
            touched.state = now;
          }
        }),
        {
          numRuns: settings.runsPerOperation,
          seed: settings.seed + index,
          examples: nulProbes(
            operation,
            knownFor(owners[0]!),
            { valid: owners[0]!.token, learnerOnly },
            settings.seed,
          ).map((abuse) => [{ owner: owners[0]!, abuse }]),
        },
      );
    }

    const framingCases = fc.sample(
      framingCase(operations, knownFor(owners[0]!), `Bearer ${owners[0]!.token}`),
      {
        numRuns: settings.framingRuns,
        seed: settings.seed + operations.length,
      },
    );
    let framingAccepted = false;
    for (let start = 0; start < framingCases.length; start += FRAMING_CONCURRENCY) {
      await Promise.all(
        framingCases.slice(start, start + FRAMING_CONCURRENCY).map(async (framed) => {
          const outcome = await sendFrom(port, framed.request);
          framing += 1;
          if (outcome.kind === 'answer' && outcome.response.status < 300) framingAccepted = true;
          judge('framing', framed.summary, outcome, { mayWait: framed.mayWait, documentedBody: true });
        }),
      );
    }
    // Framing cases act as the first owner on the first owner's course: if every one was refused,
    // nothing may have changed it.
    const after = await stateOf(owners[0]!);
    if (!framingAccepted && after !== owners[0]!.state) {
      findings.push({
        rule: 'a refused request changed state',
        operation: 'framing',
        outcome: `before ${owners[0]!.state.slice(0, 300)}; after ${after.slice(0, 300)}`,
        input: 'the framing cases above',
      });
    }
  } finally {
    await legit.stop();
  }
  await legit.round();

  return {
    operations: operations.length,
    requests: abusive + framing + stateReads + legit.sent,
    abusive,
    framing,
    stateReads,
    serverErrors,
    legit: { sent: legit.sent, succeeded: legit.succeeded, failures: legit.failures },
    findings,
  };
}

export function summaryLine(mode: string, seed: number, report: AbuseReport): string {
  return (
    `abuse suite (${mode}, seed ${seed}): operations covered ${report.operations}, requests sent ${report.requests} ` +
    `(abusive ${report.abusive}, framing ${report.framing}, state reads ${report.stateReads}, legitimate ${report.legit.sent}), ` +
    `5xx seen ${report.serverErrors}, findings ${report.findings.length}, ` +
    `legitimate success ${report.legit.succeeded}/${report.legit.sent}`
  );
}

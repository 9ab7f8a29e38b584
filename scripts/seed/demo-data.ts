import { catalogContract } from '@strata/catalog/contract';
import { identityContract } from '@strata/identity/contract';
import { createContractClient, type Invoke } from '@strata/rpc';

/** A demo account, printed in the start banner so a first-time user can log in straight away. */
export interface DemoLogin {
  email: string;
  password: string;
  role: 'instructor' | 'learner';
}

export const demoLogins: readonly DemoLogin[] = [
  { email: 'instructor@strata.demo', password: 'Demo-Instructor-42', role: 'instructor' },
  { email: 'learner@strata.demo', password: 'Demo-Learner-42', role: 'learner' },
];

const demoCourses = [
  {
    title: 'Domain-Driven Design in Practice',
    description: 'Aggregates, bounded contexts and events, from a real codebase',
    lessons: ['Ubiquitous language', 'Aggregates and invariants', 'Domain events'],
    price: { amount: 4900, currency: 'EUR' },
  },
  {
    title: 'TypeScript Without a Build Step',
    description: 'Running TypeScript from source on Node 24',
    lessons: ['Type stripping', 'ES modules everywhere'],
    price: { amount: 0, currency: 'EUR' },
  },
  {
    title: 'Event-Driven Systems with the Outbox',
    description: 'Transactional outbox, relays and idempotent consumers',
    lessons: ['Why dual writes fail', 'The outbox relay', 'Inbox and idempotency'],
    price: { amount: 2900, currency: 'EUR' },
  },
] as const;

const SEED_SERVICE = { service: 'demo-seed' };

export interface SeedOutcome {
  /** Titles of courses this run drafted and published (empty on a re-run: the seed is idempotent). */
  createdCourses: string[];
  publishedCourses: number;
}

/**
 * Seeds the demo through the contracts, exactly as account-api and studio-api would: an account
 * that exists is found by email, a course the instructor already has (by title) is left alone, so
 * every `npm start` on the same `.strata/` directory converges on the same demo.
 */
export async function seedDemoData(invoke: { identity: Invoke; commerce: Invoke }): Promise<SeedOutcome> {
  const identity = createContractClient(identityContract, {
    service: 'identity-service',
    invoke: invoke.identity,
  });
  const catalog = createContractClient(catalogContract, {
    service: 'commerce-service',
    invoke: invoke.commerce,
  });

  const userIds = new Map<string, string>();
  for (const login of demoLogins) {
    const found = await identity.User.findByEmail({ email: login.email }, { caller: SEED_SERVICE });
    const existing = found.items[0];
    const user =
      existing ??
      (await identity.User.register(
        {
          email: login.email,
          password: login.password,
          displayName: login.role === 'instructor' ? 'Demo Instructor' : 'Demo Learner',
          registerAs: login.role,
        },
        { caller: SEED_SERVICE },
      ));
    userIds.set(login.role, user.id);
  }

  const instructorId = userIds.get('instructor');
  if (instructorId === undefined) throw new Error('demo seed: the instructor account was not created');
  const caller = { userId: instructorId, roles: ['learner', 'instructor'] };
  const owned = await catalog.Course.findByInstructor({ instructorId }, { caller });
  const ownedTitles = new Set(owned.items.map((course) => course.title));

  const createdCourses: string[] = [];
  for (const course of demoCourses) {
    if (ownedTitles.has(course.title)) continue;
    const draft = await catalog.Course.draft(
      { title: course.title, description: course.description },
      { caller },
    );
    for (const lesson of course.lessons) {
      await catalog.Course.addLesson(draft.id, { title: lesson }, { caller });
    }
    await catalog.Course.setPrice(draft.id, { price: course.price }, { caller });
    await catalog.Course.publish(draft.id, {}, { caller });
    createdCourses.push(course.title);
  }
  const published = await catalog.Course.findPublished({}, { caller });
  return { createdCourses, publishedCourses: published.items.length };
}

import { topology } from '../config/topology.ts';
import { demoLogins, type SeedOutcome } from './seed/demo-data.ts';

/**
 * The part of the start banner both ways of running print alike: what the gateway serves, what the
 * topology plans that is not running yet, the demo data and logins, and what to try first.
 */
export function demoBanner(url: string, seed: SeedOutcome, running: ReadonlySet<string>): string[] {
  const planned = [
    ...Object.keys(topology.dataServices),
    ...Object.keys(topology.applicationServices),
  ].filter((service) => !running.has(service));
  const learner = demoLogins.find((login) => login.role === 'learner')!;
  return [
    `  /api/account  account-api (register, login, refresh, me)`,
    `  /api/studio   studio-api (instructor role: draft, price, publish courses)`,
    `  /api/learner  learner-api (browse published courses without a login; the rest needs the learner role)`,
    `  /docs         the ubiquitous language, event catalog and context map`,
    `  /learner/notifications  the learner's notifications page, live (log in as the demo learner; served by learner-api)`,
    ...(planned.length > 0
      ? [`Not hosted yet (planned in config/topology.ts, not built): ${planned.join(', ')}`]
      : []),
    `Demo data: ${seed.publishedCourses} published courses` +
      (seed.createdCourses.length > 0
        ? ` (seeded now: ${seed.createdCourses.join(', ')})`
        : ' (already seeded)'),
    'Demo logins:',
    ...demoLogins.map((login) => `  ${login.role.padEnd(10)} ${login.email} / ${login.password}`),
    'Try:',
    `  curl -s ${url}/api/learner/courses`,
    `  TOKEN=$(curl -s -X POST ${url}/api/account/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"${learner.email}","password":"${learner.password}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')`,
    `  curl -s ${url}/api/account/me -H "authorization: Bearer $TOKEN"`,
  ];
}

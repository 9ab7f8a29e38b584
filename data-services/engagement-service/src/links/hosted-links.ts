import { webcrypto } from 'node:crypto';
import type { LinkPolicy, RandomSource } from '@strata/links';
import { linksContract } from '@strata/links/contract';
import { implementContract, type RpcHandler } from '@strata/rpc';
import type { ContextServing, HostedContext } from '@strata/runtime/data-service';
import { LinkExpirySweep } from './link-expiry-sweep.ts';
import { linksImplementation } from './links-implementation.ts';
import { CreateShortLinksTable } from './migrations/create-short-links-table.ts';
import { shortLinkRecordSchema, shortLinkStorage } from './short-link-record.ts';
import { SqlLinksQueries } from './sql-links-queries.ts';
import { CreateLinkVisitHoursTable } from './migrations/create-link-visit-hours-table.ts';
import { linkVisitHourRecordSchema } from './visit-stats/link-visit-hour-record.ts';
import { visitRollupConsumerGroup } from './visit-stats/rebuild-visit-stats.ts';
import { visitRollupHandlers } from './visit-stats/visit-subscription.ts';

/** The platform's cryptographic source: a predictable one would make generated slugs guessable. */
export const cryptoRandom: RandomSource = {
  bytes: (count) => webcrypto.getRandomValues(new Uint8Array(count)),
};

export interface LinksHosting {
  /** The deployment's short domain: a target on it is refused (a link to a link). */
  readonly policy: LinkPolicy;
  /** How often expired links are recorded as such (ShortLinkExpired); the redirect never waits for it. */
  readonly expirySweepEveryMs?: number;
  readonly random?: RandomSource;
}

export const DEFAULT_EXPIRY_SWEEP_EVERY_MS = 30_000;

/**
 * Links as engagement-service hosts it: the ShortLink aggregate on its own table, and a recurring
 * sweep that records expiries. Visits never reach this service synchronously: the redirect process
 * counts them in Redis and ships them as events (ADR 0018).
 */
export function hostedLinks(hosting: LinksHosting): HostedContext {
  const compositions = new WeakMap<ContextServing, { handler: RpcHandler; sweep: LinkExpirySweep }>();
  const composedOf = (serving: ContextServing) => {
    const known = compositions.get(serving);
    if (known !== undefined) return known;
    const { unitOfWork, session, options } = serving;
    const queries = new SqlLinksQueries(session);
    const handler = implementContract(
      linksContract,
      linksImplementation({
        queries,
        session,
        policy: hosting.policy,
        random: hosting.random ?? cryptoRandom,
      }),
      { unitOfWork, clock: options.clock, logger: options.logger },
    );
    const sweep = new LinkExpirySweep({ unitOfWork, queries, clock: options.clock, logger: options.logger });
    const composed = { handler, sweep };
    compositions.set(serving, composed);
    return composed;
  };
  return {
    contract: linksContract,
    aggregates: { ShortLink: shortLinkStorage },
    serve: (serving) => composedOf(serving).handler,
    // Its own visits, folded into the hourly rollup (visit-stats/): from their topic, which the
    // contract names, and from the links topic, where instances older than ADR 0063 shipped them
    // (each visit counted once).
    subscribe: (serving) => ({
      from: [linksContract],
      handlers: visitRollupHandlers(visitRollupConsumerGroup(serving.options.eventNamespace)),
    }),
    prepareJobs: (serving) =>
      composedOf(serving).sweep.define(
        serving.jobs,
        hosting.expirySweepEveryMs ?? DEFAULT_EXPIRY_SWEEP_EVERY_MS,
      ),
  };
}

export const linksMapping = {
  entities: [shortLinkRecordSchema, linkVisitHourRecordSchema],
  migrations: [CreateShortLinksTable, CreateLinkVisitHoursTable],
};

import type { ShortLink } from '@strata/links';
import type { Jobs } from '@strata/jobs';
import type { MikroOrmUnitOfWork } from '@strata/persistence';
import type { RuntimeLogger } from '@strata/rpc';
import { DomainError, z, type Clock } from '@strata/shared-kernel';
import type { SqlLinksQueries } from './sql-links-queries.ts';

export const LINK_EXPIRY_SWEEP_JOB = 'links-expiry-sweep';
/** Links recorded as expired per run: a backlog drains over a few runs, never in one long transaction. */
const SWEEP_BATCH = 200;

/**
 * Records ShortLinkExpired for every link whose expiry has passed, from a recurring job on the
 * service's queue (one instance runs each run). A sweep, not a timer per link: nothing is lost when
 * a link's scheduling fails or the queue is emptied, and an expiry moved later needs no cancel.
 * Visitors never wait for it: the redirect path compares the expiry with its own clock (resolveLink),
 * so this records the fact for the link's owner, its events' consumers and the caches.
 */
interface LinkExpirySweepOptions {
  readonly unitOfWork: MikroOrmUnitOfWork;
  readonly queries: SqlLinksQueries;
  readonly clock: Clock;
  readonly logger: RuntimeLogger;
}

export class LinkExpirySweep {
  readonly #options: LinkExpirySweepOptions;

  constructor(options: LinkExpirySweepOptions) {
    this.#options = options;
  }

  async define(jobs: Jobs, everyMs: number): Promise<void> {
    jobs.define(LINK_EXPIRY_SWEEP_JOB, {
      payload: z.object({}),
      handle: () => this.sweep().then(() => undefined),
    });
    await jobs.repeat(LINK_EXPIRY_SWEEP_JOB, {
      name: LINK_EXPIRY_SWEEP_JOB,
      payload: {},
      recurrence: { everyMs },
    });
  }

  /** Answers how many links it recorded as expired. */
  async sweep(): Promise<number> {
    const { unitOfWork, queries, clock, logger } = this.#options;
    const due = await unitOfWork.run(() => queries.linksPastExpiry(clock.now(), SWEEP_BATCH));
    let expired = 0;
    for (const id of due) {
      try {
        await unitOfWork.run(async (scope) => {
          const link = await scope.repository<ShortLink>('ShortLink').findById(id);
          link?.expire(clock);
        });
        expired += 1;
      } catch (error) {
        // Another instance's change got there first (a disable): the next run sees the link again.
        if (!(error instanceof DomainError)) throw error;
        logger.warn({ err: error, linkId: id }, `short link ${id} was not recorded as expired this run`);
      }
    }
    return expired;
  }
}

import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Jobs } from '@strata/jobs';
import { Checkout, CHECKOUT_STEPS, type CheckoutInput, type OrderPlaced } from '@strata/ordering';
import type { MikroOrmScope, MikroOrmUnitOfWork } from '@strata/persistence';
import type { RuntimeLogger } from '@strata/rpc';
import { DomainError, z, type Clock } from '@strata/shared-kernel';
import type { CheckoutCommandExecution } from './checkout-command-execution.ts';
import { checkoutRecordSchema, toCheckout } from './checkout-record.ts';

export const CHECKOUT_COMMAND_JOB = 'checkout-command';
export const CHECKOUT_DEADLINE_JOB = 'checkout-deadline';
export const CHECKOUT_SWEEP_JOB = 'checkout-sweep';

/** How long a command or an overdue timer may go without its job before the sweep schedules it again. */
export const SWEEP_GRACE_MS = 5_000;
const SWEEP_EVERY_MS = 5_000;
const SWEEP_BATCH = 200;

/**
 * A job retries only when the infrastructure failed (the checkout's save is not committed yet, the
 * database is away): the checkout's own failures are replies it hears. Twelve runs with the queue's
 * doubling backoff (from 1 s) span about half an hour, longer than any restart, before a job counts
 * as failed for good.
 */
const JOB_ATTEMPTS = 12;
/** Concurrent changes to one checkout (its job, an order event, a webhook) are retried this often. */
const SAVE_ATTEMPTS = 5;
const CONCURRENT_CHANGE = new Set([
  'aggregate-version-conflict',
  'concurrent-change',
  'aggregate-already-exists',
]);

/** One command of one checkout: the job carries where to find it, never the command itself. */
const CommandJobPayload = z.object({ orderId: z.uuid(), seq: z.number().int().min(1) });
const DeadlineJobPayload = z.object({ orderId: z.uuid() });

/** Deterministic, so scheduling the same command twice (after a save, from the sweep) is one job. */
export const commandJobId = (orderId: string, seq: number) => `${CHECKOUT_COMMAND_JOB}.${orderId}.${seq}`;
export const deadlineJobId = (orderId: string, at: number) => `${CHECKOUT_DEADLINE_JOB}.${orderId}.${at}`;

/** Where a checkout stood before a change: what the change added is scheduled after it. */
interface Before {
  readonly issued: number;
  readonly deadline: string | null;
}

const before = (checkout: Checkout): Before => ({
  issued: checkout.snapshot().issued,
  deadline: checkout.state.deadline,
});

/**
 * The checkout saga as commerce-service runs it. Every change to a checkout is one unit of work on
 * its row (state and outgoing commands together, version-checked), and after it commits what the
 * change added is put on the job queue: a `checkout-command` job per new command, a
 * `checkout-deadline` job at its timer. A command job carries the command out and settles it in
 * the checkout; a deadline job tells the checkout its timer went off. The queue is BullMQ on Redis
 * distributed and a SQL table embedded; both keep jobs across restarts.
 *
 * A crash between a commit and its scheduling loses no work: the recurring sweep finds commands
 * left unsent and timers left overdue, and schedules them again under the same job ids.
 */
export class CheckoutRunner {
  readonly #unitOfWork: MikroOrmUnitOfWork;
  readonly #jobs: Jobs;
  readonly #clock: Clock;
  readonly #logger: RuntimeLogger;

  constructor(options: { unitOfWork: MikroOrmUnitOfWork; jobs: Jobs; clock: Clock; logger: RuntimeLogger }) {
    this.#unitOfWork = options.unitOfWork;
    this.#jobs = options.jobs;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /**
   * A newly placed order's checkout; a redelivered OrderPlaced finds it started and changes nothing.
   * `within`: the event handler's transaction (see `MikroOrmUnitOfWork.run`).
   */
  async start(placed: OrderPlaced, within?: SqlEntityManager): Promise<void> {
    await this.#change(
      placed.orderId,
      async (checkouts) => {
        if ((await checkouts.findById(placed.orderId)) !== null) return null;
        const checkout = Checkout.start(placed, this.#clock.now());
        checkouts.add(checkout);
        return { checkout, before: { issued: 0, deadline: null } };
      },
      within,
    );
  }

  /** An input for the order's checkout (an order event, its timer); inputs heard before change nothing. */
  async hear(orderId: string, input: CheckoutInput, within?: SqlEntityManager): Promise<void> {
    await this.#update(orderId, (checkout) => checkout.hear(input, this.#clock.now()), within);
  }

  /**
   * Puts on the queue what `checkout` added since `since` (see `before`). The contract's handler
   * calls it before its unit of work commits: a command job that runs first finds the command not
   * issued yet and retries, and one whose save never commits finds it issued by another decision
   * or not at all.
   */
  async scheduleAdded(checkout: Checkout, since: Before): Promise<void> {
    const added = checkout.outgoing.filter((outgoing) => outgoing.seq > since.issued);
    for (const { seq } of added) await this.#scheduleCommand(checkout.id, seq);
    const { deadline } = checkout.state;
    if (deadline !== null && deadline !== since.deadline) await this.#scheduleDeadline(checkout.id, deadline);
  }

  before(checkout: Checkout): Before {
    return before(checkout);
  }

  /** Defines the job handlers and the recurring sweep; before the queue starts. */
  async defineJobs(execution: CheckoutCommandExecution): Promise<void> {
    this.#jobs.define(CHECKOUT_COMMAND_JOB, {
      payload: CommandJobPayload,
      handle: ({ orderId, seq }) => this.#runCommand(execution, orderId, seq),
    });
    this.#jobs.define(CHECKOUT_DEADLINE_JOB, {
      payload: DeadlineJobPayload,
      handle: ({ orderId }) => this.hear(orderId, { type: 'DeadlinePassed' }),
    });
    this.#jobs.define(CHECKOUT_SWEEP_JOB, { payload: z.object({}), handle: () => this.sweep() });
    await this.#jobs.repeat(CHECKOUT_SWEEP_JOB, {
      name: CHECKOUT_SWEEP_JOB,
      payload: {},
      recurrence: { everyMs: SWEEP_EVERY_MS },
    });
  }

  /**
   * Schedules again the commands issued more than the grace period ago and still unsent, and the
   * timers overdue by more than it. Jobs already waiting keep their ids, so this adds none twice.
   */
  async sweep(): Promise<void> {
    const now = this.#clock.now().getTime();
    const cutoff = new Date(now - SWEEP_GRACE_MS);
    const session: SqlEntityManager = this.#unitOfWork.session();
    const pending = await session.find(
      checkoutRecordSchema,
      { pendingCommands: { $gt: 0 }, updatedAt: { $lte: cutoff } },
      { orderBy: { updatedAt: 'asc' }, limit: SWEEP_BATCH },
    );
    for (const record of pending) {
      const checkout = toCheckout(record);
      for (const outgoing of checkout.outgoing) {
        if (Date.parse(outgoing.issuedAt) <= cutoff.getTime())
          await this.#scheduleCommand(checkout.id, outgoing.seq);
      }
    }
    const overdue = await session.find(
      checkoutRecordSchema,
      // Every step listed, so MariaDB ranges over (step, deadline) instead of scanning.
      { step: { $in: [...CHECKOUT_STEPS] }, deadline: { $ne: null, $lte: cutoff } },
      { orderBy: { deadline: 'asc' }, limit: SWEEP_BATCH },
    );
    for (const record of overdue) {
      if (record.deadline !== null) await this.#scheduleDeadline(record.id, record.deadline.toISOString());
    }
  }

  async #runCommand(execution: CheckoutCommandExecution, orderId: string, seq: number): Promise<void> {
    const checkout = await this.#unitOfWork.run((scope) => checkoutsOf(scope).findById(orderId));
    if (checkout === null || checkout.snapshot().issued < seq) {
      // The save that issued it has not committed (or never will; then this job runs out of attempts).
      throw new Error(`checkout ${orderId} has not issued command ${seq} yet; retrying`);
    }
    const outgoing = checkout.outgoing.find((candidate) => candidate.seq === seq);
    if (outgoing === undefined) return; // settled already: a repeated job does nothing
    const reply = await execution.execute(outgoing.command, { orderId, seq, step: checkout.state.step });
    await this.#update(orderId, (current) => current.settle(seq, reply, this.#clock.now()));
  }

  async #update(
    orderId: string,
    act: (checkout: Checkout) => unknown,
    within?: SqlEntityManager,
  ): Promise<void> {
    await this.#change(
      orderId,
      async (checkouts) => {
        const checkout = await checkouts.findById(orderId);
        if (checkout === null) return null;
        const was = before(checkout);
        act(checkout);
        return { checkout, before: was };
      },
      within,
    );
  }

  /**
   * One unit of work on one checkout, again from a fresh load when another change got there first
   * (outside a handler's transaction; inside one, the event is delivered again);
   * then what it added goes on the queue. Inside an event handler's transaction (`within`) the
   * scheduling is not awaited: it must not hold up that transaction's commit (embedded SQLite's one
   * connection would wait for itself), and a job that runs before the commit retries (see
   * `#runCommand`). Either way, a scheduling that fails is the sweep's to redo.
   */
  async #change(
    orderId: string,
    work: (
      checkouts: ReturnType<typeof checkoutsOf>,
    ) => Promise<{ checkout: Checkout; before: Before } | null>,
    within: SqlEntityManager | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let changed: { checkout: Checkout; before: Before } | null;
      try {
        changed = await this.#unitOfWork.run((scope) => work(checkoutsOf(scope)), { within });
      } catch (error) {
        const concurrent = error instanceof DomainError && CONCURRENT_CHANGE.has(error.code);
        // Within a handler's transaction the session's identity map still holds the checkout as the
        // failed attempt changed it (a savepoint's rollback does not undo objects): deciding again on
        // it would hear the input as heard already and drop it. The handler's transaction is rolled
        // back instead and the event delivered again, to a fresh session.
        if (concurrent && attempt < SAVE_ATTEMPTS && within === undefined) continue;
        throw error;
      }
      if (changed === null) return;
      const { checkout, before: was } = changed;
      const scheduled = this.scheduleAdded(checkout, was).catch((error: unknown) => {
        this.#logger.warn(
          { err: error, orderId, step: checkout.state.step },
          `checkout ${orderId}: its next jobs could not be scheduled now; the sweep will`,
        );
      });
      if (within === undefined) await scheduled;
      return;
    }
  }

  async #scheduleCommand(orderId: string, seq: number): Promise<void> {
    await this.#jobs.schedule({
      name: CHECKOUT_COMMAND_JOB,
      id: commandJobId(orderId, seq),
      payload: { orderId, seq },
      attempts: JOB_ATTEMPTS,
    });
  }

  async #scheduleDeadline(orderId: string, deadline: string): Promise<void> {
    const at = Date.parse(deadline);
    await this.#jobs.schedule({
      name: CHECKOUT_DEADLINE_JOB,
      id: deadlineJobId(orderId, at),
      payload: { orderId },
      // Counted from the service's clock, which decides what is due (the checkout's `now`).
      delayMs: Math.max(0, at - this.#clock.now().getTime()),
      attempts: JOB_ATTEMPTS,
    });
  }
}

function checkoutsOf(scope: MikroOrmScope) {
  return scope.repository<Checkout>('Checkout');
}

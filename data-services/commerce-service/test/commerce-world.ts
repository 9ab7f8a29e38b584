import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { consumeInProcess, InProcessEventBroker } from '@strata/events';
import type { OrderTerms } from '@strata/ordering';
import { orderingContract } from '@strata/ordering/contract';
import { SimulatorPaymentProvider } from '@strata/payments';
import { uniqueService } from '@strata/persistence/test-support';
import { createContractClient, inProcessInvoke, type ContractClient } from '@strata/rpc';
import type { DataServiceOptions } from '@strata/runtime/data-service';
import { mariaDbDataService, sqliteDataService, type RunningDataService } from '@strata/runtime/test-support';
import { FixedClock, newId, systemClock } from '@strata/shared-kernel';
import { setTimeout as sleep } from 'node:timers/promises';

export type Storage = 'MariaDB' | 'SQLite';
export type Caller = { userId: string; roles: string[] };

export const eur = (amount: number) => ({ amount, currency: 'EUR' });
export const learnerCaller = (): Caller => ({ userId: newId(), roles: ['learner'] });
export const instructorCaller = (): Caller => ({ userId: newId(), roles: ['learner', 'instructor'] });

export interface WorldOptions {
  /**
   * On the system clock with the service's job queue running, so the checkout's commands and
   * timers run as they do in production. Otherwise (the default) the service reads `world.clock`,
   * a fixed clock a test advances, and no job runs: the test drives the Order itself.
   */
  readonly realTime?: boolean;
}

/**
 * commerce-service as the runners compose it, with the in-process broker between its relay and
 * its consumers (what embedded mode does): ordering's offers come from the catalog's real events.
 * Its payment provider is the real HTTP adapter on the test file's simulator process.
 */
export class CommerceWorld {
  readonly clock = new FixedClock('2026-12-03T10:00:00.000Z');
  readonly broker = new InProcessEventBroker();
  readonly #simulator: { readonly url: string };
  readonly #realTime: boolean;
  running!: RunningDataService<CommerceService>;
  catalog!: ContractClient<typeof catalogContract>;
  ordering!: ContractClient<typeof orderingContract>;
  #unsubscribes: (() => void)[] = [];

  constructor(simulator: { readonly url: string }, options: WorldOptions = {}) {
    this.#simulator = simulator;
    this.#realTime = options.realTime ?? false;
  }

  get service(): CommerceService {
    return this.running.service;
  }

  async start(storage: Storage, orderTerms?: OrderTerms): Promise<void> {
    const paymentProvider = new SimulatorPaymentProvider({ baseUrl: this.#simulator.url });
    const create = (options: DataServiceOptions) =>
      createCommerceService({ ...options, orderTerms, paymentProvider });
    const overrides = { broker: this.broker, clock: this.#realTime ? systemClock : this.clock };
    this.running =
      storage === 'MariaDB'
        ? await mariaDbDataService(create, uniqueService('ordsvc'), overrides)
        : await sqliteDataService(create, overrides);
    const invoke = inProcessInvoke(this.service.handler);
    this.catalog = createContractClient(catalogContract, { service: 'commerce-service', invoke });
    this.ordering = createContractClient(orderingContract, { service: 'commerce-service', invoke });
    this.#unsubscribes = this.service.consumers.map((consumer) =>
      consumeInProcess(this.broker, consumer.topics, consumer.processor),
    );
    this.service.relay.start();
    if (this.#realTime) await this.service.jobs.start();
  }

  async stop(): Promise<void> {
    this.#unsubscribes.forEach((unsubscribe) => unsubscribe());
    await this.running?.stop();
  }

  /** Until every outbox row is published; the in-process publish resolves once consumers handled it. */
  async settled(): Promise<void> {
    for (;;) {
      const [row] = await this.#select<{ unsent: number | string }>(
        'select count(*) as unsent from outbox where sent_at is null',
      );
      if (Number(row?.unsent) === 0) return;
      await sleep(20);
    }
  }

  /** A course drafted, given a lesson and a price, published, and its events handled. */
  async publishedCourse(price: { amount: number; currency: string }, by: Caller, title = 'Practical SQL') {
    const course = await this.catalog.Course.draft(
      { title, description: `all about ${title}` },
      { caller: by },
    );
    await this.catalog.Course.addLesson(course.id, { title: 'Welcome' }, { caller: by });
    await this.catalog.Course.setPrice(course.id, { price }, { caller: by });
    await this.catalog.Course.publish(course.id, {}, { caller: by });
    await this.settled();
    return course.id;
  }

  async offerRow(courseId: string) {
    const [row] = await this.#select<{
      title: string | null;
      price_amount: number | null;
      price_currency: string | null;
      published: number | boolean;
      instructor_id: string | null;
    }>(
      'select title, price_amount, price_currency, published, instructor_id from ordering_offers where course_id = ?',
      [courseId],
    );
    return row && { ...row, published: Boolean(row.published) };
  }

  async outboxOf(aggregateId: string): Promise<string[]> {
    const rows = await this.#select<{ event_type: string }>(
      'select event_type from outbox where aggregate_id = ? order by sequence',
      [aggregateId],
    );
    return rows.map((row) => row.event_type);
  }

  async countOrdersOf(learnerId: string): Promise<number> {
    const [row] = await this.#select<{ n: number | string }>(
      'select count(*) as n from orders where learner_id = ?',
      [learnerId],
    );
    return Number(row?.n);
  }

  /**
   * The row learning's CertificateIssued writes (certificate-subscription.ts), written directly:
   * this world runs no learning-service.
   */
  async issueCertificate(learnerId: string, courseId: string): Promise<void> {
    await this.service.database
      .em()
      .execute('insert into ordering_certificates (learner_id, course_id, issued_at) values (?, ?, ?)', [
        learnerId,
        courseId,
        this.clock.now(),
      ]);
  }

  #select<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.service.database.em().execute<T[]>(sql, parameters);
  }
}

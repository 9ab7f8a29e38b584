import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import {
  consumeInProcess,
  envelopeFor,
  envelopeToMessage,
  InProcessEventBroker,
  topicFor,
  type DeliveredMessage,
  type ProcessOutcome,
} from '@strata/events';
import { learningContract } from '@strata/learning/contract';
import { createLearningService, type LearningService } from '@strata/learning-service';
import { CHECKOUT_ACTOR } from '@strata/ordering';
import { orderingContract } from '@strata/ordering/contract';
import { SimulatorPaymentProvider } from '@strata/payments';
import { uniqueService } from '@strata/persistence/test-support';
import { createContractClient, inProcessInvoke, type ContractClient } from '@strata/rpc';
import type { DataServiceOptions } from '@strata/runtime/data-service';
import { mariaDbDataService, sqliteDataService, type RunningDataService } from '@strata/runtime/test-support';
import { FixedClock, newId } from '@strata/shared-kernel';
import { contractEventCatalog } from '@strata/events';
import { setTimeout as sleep } from 'node:timers/promises';

export type Storage = 'MariaDB' | 'SQLite';
export type Caller = { userId: string; roles: string[] };

export const eur = (amount: number) => ({ amount, currency: 'EUR' });
export const learnerCaller = (): Caller => ({ userId: newId(), roles: ['learner'] });
export const instructorCaller = (): Caller => ({ userId: newId(), roles: ['learner', 'instructor'] });
export const checkout: Caller = { userId: CHECKOUT_ACTOR.userId, roles: [...CHECKOUT_ACTOR.roles] };

/**
 * commerce-service and learning-service as `npm start` composes them: two services on their own
 * databases with the in-process broker between their relays and their consumers, so learning's
 * outlines come from the catalog's real events, its enrollments from ordering's, and ordering's
 * certificates from learning's. The clock is fixed and no job runs: a test drives the Order itself
 * (as the checkout would) and advances the clock.
 */
export class LearningWorld {
  readonly clock = new FixedClock('2026-12-04T10:00:00.000Z');
  readonly broker = new InProcessEventBroker();
  readonly #simulator: { readonly url: string };
  commerceRunning!: RunningDataService<CommerceService>;
  learningRunning!: RunningDataService<LearningService>;
  catalog!: ContractClient<typeof catalogContract>;
  ordering!: ContractClient<typeof orderingContract>;
  learning!: ContractClient<typeof learningContract>;
  #unsubscribes: (() => void)[] = [];

  constructor(simulator: { readonly url: string }) {
    this.#simulator = simulator;
  }

  get learningService(): LearningService {
    return this.learningRunning.service;
  }

  get commerceService(): CommerceService {
    return this.commerceRunning.service;
  }

  async start(storage: Storage): Promise<void> {
    const paymentProvider = new SimulatorPaymentProvider({ baseUrl: this.#simulator.url });
    const overrides = { broker: this.broker, clock: this.clock };
    const onStorage = <S extends CommerceService | LearningService>(
      create: (options: DataServiceOptions) => Promise<S>,
      prefix: string,
    ) =>
      storage === 'MariaDB'
        ? mariaDbDataService(create, uniqueService(prefix), overrides)
        : sqliteDataService(create, overrides);
    this.commerceRunning = await onStorage(
      (options) => createCommerceService({ ...options, paymentProvider }),
      'lrncom',
    );
    this.learningRunning = await onStorage(createLearningService, 'lrnsvc');
    const commerce = inProcessInvoke(this.commerceService.handler);
    this.catalog = createContractClient(catalogContract, { service: 'commerce-service', invoke: commerce });
    this.ordering = createContractClient(orderingContract, { service: 'commerce-service', invoke: commerce });
    this.learning = createContractClient(learningContract, {
      service: 'learning-service',
      invoke: inProcessInvoke(this.learningService.handler),
    });
    for (const service of [this.commerceService, this.learningService]) {
      this.#unsubscribes.push(
        ...service.consumers.map((consumer) =>
          consumeInProcess(this.broker, consumer.topics, consumer.processor),
        ),
      );
    }
    this.commerceService.relay.start();
    this.learningService.relay.start();
  }

  async stop(): Promise<void> {
    this.#unsubscribes.forEach((unsubscribe) => unsubscribe());
    await this.learningRunning?.stop();
    await this.commerceRunning?.stop();
  }

  /** Until both outboxes are published; the in-process publish resolves once consumers handled it. */
  async settled(): Promise<void> {
    for (;;) {
      let unsent = 0;
      for (const service of [this.commerceService, this.learningService]) {
        const [row] = await service.database
          .em()
          .execute<{ unsent: number | string }[]>(
            'select count(*) as unsent from outbox where sent_at is null',
          );
        unsent += Number(row?.unsent);
      }
      if (unsent === 0) return;
      await sleep(20);
    }
  }

  /** A course drafted with `lessons` lessons, priced and published, its events handled; answers its id and lesson ids. */
  async publishedCourse(
    price: { amount: number; currency: string },
    by: Caller,
    lessons = 2,
    title = 'Practical SQL',
  ): Promise<{ courseId: string; lessonIds: string[] }> {
    const course = await this.catalog.Course.draft(
      { title, description: `all about ${title}` },
      { caller: by },
    );
    for (let index = 1; index <= lessons; index += 1) {
      await this.catalog.Course.addLesson(course.id, { title: `Lesson ${index}` }, { caller: by });
    }
    await this.catalog.Course.setPrice(course.id, { price }, { caller: by });
    const published = await this.catalog.Course.publish(course.id, {}, { caller: by });
    await this.settled();
    return { courseId: course.id, lessonIds: published.lessons.map((lesson) => lesson.id) };
  }

  /** An order for the course placed by the learner and paid (as the checkout confirms it), its events handled. */
  async paidOrder(learner: Caller, courseId: string, price: { amount: number; currency: string }) {
    const placement = await this.ordering.Order.place(
      { courses: [{ courseId, expectedPrice: price }] },
      { caller: learner },
    );
    const orderId = placement.order.id;
    await this.ordering.Order.confirmPayment(
      orderId,
      { paymentId: `pay-${newId()}`, amount: price, paidAt: this.clock.now().toISOString() },
      { caller: checkout },
    );
    await this.settled();
    return orderId;
  }

  /** The learner asks for a refund and the checkout confirms it, its events handled. */
  async refunded(learner: Caller, orderId: string): Promise<void> {
    await this.ordering.Order.requestRefund(orderId, {}, { caller: learner });
    await this.ordering.Order.confirmRefund(
      orderId,
      { refundId: `refund-${newId()}`, refundedAt: this.clock.now().toISOString() },
      { caller: checkout },
    );
    await this.settled();
  }

  /** learning-service's own outbox, by event type, for one aggregate. */
  async learningOutboxOf(aggregateId: string): Promise<string[]> {
    const rows = await this.#learningSelect<{ event_type: string }>(
      'select event_type from outbox where aggregate_id = ? order by sequence',
      [aggregateId],
    );
    return rows.map((row) => row.event_type);
  }

  async countLearning(sql: string, parameters: unknown[]): Promise<number> {
    const [row] = await this.#learningSelect<{ n: number | string }>(sql, parameters);
    return Number(row?.n);
  }

  /**
   * Hands learning's consumer one event as a broker would deliver it (an event another context
   * published, possibly late or twice): the same processor, inbox and handlers the broker feeds.
   */
  async deliver(
    contract: typeof orderingContract | typeof catalogContract,
    event: {
      type: string;
      aggregateType: string;
      aggregateId: string;
      aggregateVersion: number;
      payload: unknown;
    },
    id?: string,
  ): Promise<ProcessOutcome> {
    const catalog = contractEventCatalog(contract);
    const described = catalog.describe(event.type)!;
    const envelope = envelopeFor(
      { ...event, occurredAt: this.clock.now() },
      described.version,
      { correlationId: newId() },
      catalog.schema,
    );
    if (id !== undefined) envelope.id = id;
    const message: DeliveredMessage = {
      ...envelopeToMessage(topicFor(contract.context), envelope),
      partition: 0,
      offset: '0',
    };
    const [consumer] = this.learningService.consumers;
    return consumer!.processor.process(message);
  }

  #learningSelect<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.learningService.database.em().execute<T[]>(sql, parameters);
  }
}
